"""The Windows installer script names only files that exist, and speaks Vietnamese.

Inno Setup ships no Vietnamese messages file, so ``installer/antq.iss`` reads the
project's own ``installer/Vietnamese.isl`` over the shipped ``Default.isl``. This
checks every file the script names (relative to the script, as ISCC resolves them)
and that the messages file translates every key of Inno Setup 6's Default.isl
(the key list is kept in tests/data).
"""
from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ISS = ROOT / "installer" / "antq.iss"
ISL = ROOT / "installer" / "Vietnamese.isl"
DEFAULT_KEYS = ROOT / "tests" / "data" / "inno_setup_6.1_default_isl_keys.txt"

# The files an Inno Setup 6 installation has under its own folder ("compiler:").
OFFICIAL_LANGUAGES = ("Armenian", "BrazilianPortuguese", "Bulgarian", "Catalan", "Corsican",
                      "Czech", "Danish", "Dutch", "Finnish", "French", "German", "Hebrew",
                      "Hungarian", "Icelandic", "Italian", "Japanese", "Korean", "Norwegian",
                      "Polish", "Portuguese", "Russian", "Slovak", "Slovenian", "Spanish",
                      "Swedish", "Tamil", "Turkish", "Ukrainian")
SHIPPED = {"Default.isl", "WizModernImage.bmp", "WizModernSmallImage.bmp", "SetupLdr.e32",
           *(f"Languages\\{name}.isl" for name in OFFICIAL_LANGUAGES)}
# Setup directives and entry parameters that name a file read at compile time.
FILE_DIRECTIVES = ("SetupIconFile", "LicenseFile", "InfoBeforeFile", "InfoAfterFile",
                   "WizardImageFile", "WizardSmallImageFile")
FILE_PARAMETERS = ("MessagesFile", "LicenseFile", "InfoBeforeFile", "InfoAfterFile", "Source")
BUILT = ("..\\dist\\ANTQ\\",)   # made by PyInstaller before ISCC runs (installer/README.md)


def script_lines() -> list[str]:
    return [line.strip() for line in ISS.read_text(encoding="utf-8-sig").splitlines()
            if line.strip() and not line.strip().startswith(";")]


def referenced_files() -> list[str]:
    """Every file name the script gives ISCC to read, as written."""
    names = []
    for line in script_lines():
        key, _, value = line.partition("=")
        if key.strip() in FILE_DIRECTIVES:
            names.append(value.strip())
        for parameter in FILE_PARAMETERS:
            for match in re.finditer(rf'(?:^|;\s*){parameter}:\s*"([^"]*)"', line):
                names += [part.strip() for part in match.group(1).split(",")]
    return names


def missing_reference(name: str) -> str | None:
    """Why *name* would stop the compiler (None: it is there)."""
    if name.startswith("compiler:"):
        shipped = name[len("compiler:"):]
        return None if shipped in SHIPPED else f"{name}: not a file Inno Setup ships"
    if name.startswith(BUILT):
        return None
    path = ISS.parent / name.replace("\\", "/")
    return None if path.exists() else f"{name}: no such file in the repository"


def isl_keys(text: str) -> list[tuple[str, str]]:
    """(section, key) of every entry of an .isl text."""
    section, keys = "", []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith(";"):
            continue
        if line.startswith("[") and line.endswith("]"):
            section = line[1:-1]
        elif "=" in line:
            keys.append((section, line.split("=", 1)[0].strip()))
    return keys


def default_keys() -> list[tuple[str, str]]:
    section, keys = "", []
    for line in DEFAULT_KEYS.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        if line.startswith("["):
            section = line[1:-1]
        else:
            keys.append((section, line))
    return keys


def test_every_file_the_script_names_exists_or_ships_with_inno_setup():
    names = referenced_files()
    assert "compiler:Default.isl" in names and "Vietnamese.isl" in names
    assert "..\\resources\\icons\\antq.ico" in names
    assert [problem for name in names if (problem := missing_reference(name))] == []


def test_the_check_catches_a_missing_language_file():
    assert missing_reference("compiler:Languages\\Vietnamese.isl")
    assert missing_reference("Tiếng.isl")
    assert missing_reference("compiler:Languages\\French.isl") is None


def test_the_messages_file_translates_every_message_of_default_isl():
    raw = ISL.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "Inno Setup 6 reads a Unicode .isl as UTF-8 with BOM"
    text = raw.decode("utf-8-sig")
    keys = isl_keys(text)
    assert len(keys) == len(set(keys)), "a key given twice"
    wanted = default_keys()
    assert len(wanted) > 270
    assert sorted(set(wanted) - set(keys)) == []
    assert sorted(set(keys) - set(wanted)) == []
    entries = dict(((s, k), v.strip()) for s, k, v in (
        (section, *line.split("=", 1)) for section, line in _entries(text)))
    assert entries[("LangOptions", "LanguageID")] == "$042A"
    assert entries[("Messages", "ButtonCancel")] == "Hủy"
    assert entries[("Messages", "ButtonNext")] == "&Tiếp >"


def _entries(text: str):
    section = ""
    for line in text.splitlines():
        line = line.strip()
        if line.startswith("[") and line.endswith("]"):
            section = line[1:-1]
        elif line and not line.startswith(";") and "=" in line:
            yield section, line


def test_placeholders_are_kept_in_every_message():
    """%1…%9, %n and [name]-style fields are filled in by Setup: none may be lost."""
    english_placeholders = {
        "SetupWindowTitle": {"%1"}, "LastErrorMessage": {"%1", "%2", "%3", "%n"},
        "AboutSetupMessage": {"%1", "%2", "%3", "%4", "%n"}, "WelcomeLabel2": {"[name/ver]", "%n"},
        "DiskSpaceWarning": {"%1", "%2", "%n"}, "FileNotInDir2": {"%1", "%2"},
        "ErrorRegOpenKey": {"%1", "%2", "%n"}, "DiskSpaceMBLabel": {"[mb]"},
        "ComponentsDiskSpaceGBLabel": {"[gb]"}, "SelectDirDesc": {"[name]"},
    }
    found = {}
    for _section, line in _entries(ISL.read_text(encoding="utf-8-sig")):
        key, value = line.split("=", 1)
        found[key] = set(re.findall(r"%\d|%n|\[[a-z/]+\]", value))
    for key, wanted in english_placeholders.items():
        assert found[key] == wanted, key


def test_the_script_is_utf8_with_a_bom():
    """Without a BOM ISCC reads the script in the ANSI code page: garbled Vietnamese names."""
    assert ISS.read_bytes().startswith(b"\xef\xbb\xbf")
