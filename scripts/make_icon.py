"""Draw the program's icon (a red shield with a yellow star) as PNG and ICO.

Run once when the icon changes: python scripts/make_icon.py
"""
import math
import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
from PySide6.QtCore import QPointF, Qt  # noqa: E402
from PySide6.QtGui import QColor, QGuiApplication, QImage, QPainter, QPainterPath, QPolygonF  # noqa: E402

OUT = Path(__file__).resolve().parents[1] / "resources" / "icons"


def draw(size: int) -> QImage:
    image = QImage(size, size, QImage.Format_ARGB32)
    image.fill(Qt.transparent)
    p = QPainter(image)
    p.setRenderHint(QPainter.Antialiasing)
    s = size / 256
    shield = QPainterPath()
    shield.moveTo(128 * s, 8 * s)
    shield.lineTo(236 * s, 44 * s)
    shield.cubicTo(236 * s, 150 * s, 190 * s, 216 * s, 128 * s, 248 * s)
    shield.cubicTo(66 * s, 216 * s, 20 * s, 150 * s, 20 * s, 44 * s)
    shield.closeSubpath()
    p.fillPath(shield, QColor("#b71c1c"))
    p.setPen(QColor("#ffd600"))
    p.drawPath(shield)
    star = QPolygonF()
    for i in range(10):
        r = (70 if i % 2 == 0 else 28) * s
        a = -math.pi / 2 + i * math.pi / 5
        star.append(QPointF(128 * s + r * math.cos(a), 122 * s + r * math.sin(a)))
    p.setBrush(QColor("#ffd600"))
    p.setPen(Qt.NoPen)
    p.drawPolygon(star)
    p.end()
    return image


if __name__ == "__main__":
    app = QGuiApplication(sys.argv)
    OUT.mkdir(parents=True, exist_ok=True)
    draw(256).save(str(OUT / "antq.png"))
    draw(256).save(str(OUT / "antq.ico"))
    print("written", sorted(p.name for p in OUT.iterdir()))
