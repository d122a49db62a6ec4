"""Phong trào toàn dân bảo vệ an ninh Tổ quốc — entry point.

``python main.py`` opens the window; ``python main.py [--db FILE] COMMAND ...``
runs one headless command (see docs/cli.md and README.md).
"""
import sys


def main() -> int:
    """Open the window, or run the command given on the command line."""
    from core.logs import setup_logging
    from core.tempfiles import use_private_temp
    setup_logging()
    use_private_temp()
    argv = sys.argv[1:]
    if _has_command(argv):
        from core.cli import run
        return run(argv)
    from ui.app import run_window
    return run_window(argv)


def _has_command(argv: list[str]) -> bool:
    """True unless the line is empty or holds only --db FILE (open the window)."""
    rest = list(argv)
    if rest[:1] == ["--db"] and len(rest) >= 2:
        rest = rest[2:]
    return bool(rest)


if __name__ == "__main__":
    sys.exit(main())
