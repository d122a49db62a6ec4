; Inno Setup script: installs the PyInstaller bundle (dist\ANTQ) on Windows.
; Saved as UTF-8 with a BOM: without it Inno Setup reads the script in the Windows ANSI code
; page and the Vietnamese shortcut names would come out garbled.
; Build on Windows (see installer/README.md):
;   pyinstaller --noconfirm build.spec
;   iscc /DAppVersion=0.1.0 installer\antq.iss        -> installer\Output\ANTQ-Setup-0.1.0.exe
; User data (database, backups, logs) lives in %LOCALAPPDATA%\ANTQ and is never touched by
; installing, upgrading or uninstalling: only the program folder is.

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif

[Setup]
; The AppId keeps upgrades in place: never change it.
AppId={{6F1C2A9E-3B7D-4E55-9A0B-8C4D2F1A6B3E}
AppName=ANTQ - Phong trào toàn dân bảo vệ an ninh Tổ quốc
AppVersion={#AppVersion}
AppVerName=ANTQ {#AppVersion}
AppPublisher=Công an tỉnh
DefaultDirName={autopf}\ANTQ
DefaultGroupName=ANTQ
DisableProgramGroupPage=yes
OutputDir=Output
OutputBaseFilename=ANTQ-Setup-{#AppVersion}
SetupIconFile=..\resources\icons\antq.ico
UninstallDisplayIcon={app}\ANTQ.exe
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
PrivilegesRequired=admin
CloseApplications=yes

[Languages]
; Inno Setup ships no Vietnamese translation: the project's own (installer/Vietnamese.isl,
; every message of Default.isl) is read over Default.isl, relative to this script.
Name: "vi"; MessagesFile: "compiler:Default.isl,Vietnamese.isl"

[Tasks]
Name: "desktopicon"; Description: "Tạo biểu tượng trên màn hình nền"; GroupDescription: "Biểu tượng:"

[Files]
Source: "..\dist\ANTQ\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\Phong trào toàn dân bảo vệ ANTQ"; Filename: "{app}\ANTQ.exe"
Name: "{group}\Hướng dẫn sử dụng"; Filename: "{app}\resources\docs\huong-dan-su-dung.html"; Check: GuideExists
Name: "{group}\Gỡ cài đặt ANTQ"; Filename: "{uninstallexe}"
Name: "{autodesktop}\Phong trào toàn dân bảo vệ ANTQ"; Filename: "{app}\ANTQ.exe"; Tasks: desktopicon

[Run]
Filename: "{app}\ANTQ.exe"; Description: "Mở chương trình ngay"; Flags: nowait postinstall skipifsilent

[Code]
function GuideExists: Boolean;
begin
  Result := FileExists(ExpandConstant('{app}\resources\docs\huong-dan-su-dung.html'));
end;
