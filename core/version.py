"""The program's name and version (shown in the About box, written into packages)."""
APP_NAME = "ANTQ — Phong trào toàn dân bảo vệ an ninh Tổ quốc"
APP_SHORT = "ANTQ"
VERSION = "0.1.0"
