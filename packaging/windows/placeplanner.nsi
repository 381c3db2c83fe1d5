; PlacePlanner's Windows installer: per user, with no administrator rights.
;
; Installs the one-folder app under %LOCALAPPDATA%\Programs\PlacePlanner, a Start-menu entry, an
; uninstaller (also listed in Settings > Apps), and opens .placeplan files with PlacePlanner, all
; under HKCU. For central deployment run it silently in the user's context:
;     PlacePlanner-<version>-setup.exe /S            (and "Uninstall PlacePlanner.exe" /S)
; Plans and backups (%LOCALAPPDATA%\PlacePlanner) are never touched by the uninstaller.
;
; packaging/build.sh compiles it on Windows:
;     makensis -DVERSION=0.1.0 -DBUNDLE=dist\PlacePlanner -DOUTFILE=dist\PlacePlanner-0.1.0-setup.exe placeplanner.nsi
; -DCOMPRESSOR=zlib makes a quick, larger build (the tests compile it so on Linux).

Unicode true

!ifndef VERSION
  !error "Pass -DVERSION=x.y.z"
!endif
!ifndef BUNDLE
  !error "Pass -DBUNDLE=the one-folder app (dist\PlacePlanner)"
!endif
!ifndef OUTFILE
  !define OUTFILE "PlacePlanner-${VERSION}-setup.exe"
!endif
!ifndef COMPRESSOR
  !define COMPRESSOR lzma
!endif

!define APP "PlacePlanner"
!define EXE "PlacePlanner.exe"
!define UNINSTALLER "Uninstall PlacePlanner.exe"
!define PROGID "PlacePlanner.Plan"
!define UNINSTALL_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\PlacePlanner"
!define SHCNE_ASSOCCHANGED 0x08000000

SetCompressor /SOLID ${COMPRESSOR}
Name "${APP}"
OutFile "${OUTFILE}"
RequestExecutionLevel user
InstallDir "$LOCALAPPDATA\Programs\${APP}"
InstallDirRegKey HKCU "Software\${APP}" "InstallDir"
ShowInstDetails show
ShowUninstDetails show
VIProductVersion "${VERSION}.0"
VIAddVersionKey "ProductName" "${APP}"
VIAddVersionKey "ProductVersion" "${VERSION}"
VIAddVersionKey "FileVersion" "${VERSION}"
VIAddVersionKey "FileDescription" "${APP} installer (per user)"
VIAddVersionKey "LegalCopyright" "PlacePlanner developers, MIT licence"

!include "MUI2.nsh"
!include "FileFunc.nsh"

!define MUI_FINISHPAGE_RUN "$INSTDIR\${EXE}"
!define MUI_FINISHPAGE_RUN_TEXT "Open PlacePlanner now"
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_LANGUAGE "English"

Function .onInit
  SetShellVarContext current
FunctionEnd

Function un.onInit
  SetShellVarContext current
FunctionEnd

Section "PlacePlanner" SecApp
  SectionIn RO
  SetOutPath "$INSTDIR"
  ; A new version replaces the old one's libraries rather than mixing with them.
  RMDir /r "$INSTDIR\_internal"
  File /r "${BUNDLE}\*"
  WriteUninstaller "$INSTDIR\${UNINSTALLER}"
  WriteRegStr HKCU "Software\${APP}" "InstallDir" "$INSTDIR"

  CreateShortcut "$SMPROGRAMS\${APP}.lnk" "$INSTDIR\${EXE}" "" "$INSTDIR\${EXE}" 0

  ; .placeplan opens with PlacePlanner, for this user only.
  WriteRegStr HKCU "Software\Classes\.placeplan" "" "${PROGID}"
  WriteRegStr HKCU "Software\Classes\${PROGID}" "" "PlacePlanner plan"
  WriteRegStr HKCU "Software\Classes\${PROGID}\DefaultIcon" "" "$INSTDIR\${EXE},0"
  WriteRegStr HKCU "Software\Classes\${PROGID}\shell\open\command" "" '"$INSTDIR\${EXE}" open "%1"'

  ; Settings > Apps lists it, with its uninstaller.
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayName" "${APP}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "Publisher" "PlacePlanner developers"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayIcon" "$INSTDIR\${EXE}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "UninstallString" '"$INSTDIR\${UNINSTALLER}"'
  WriteRegStr HKCU "${UNINSTALL_KEY}" "QuietUninstallString" '"$INSTDIR\${UNINSTALLER}" /S'
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoModify" 1
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoRepair" 1
  ${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "EstimatedSize" $0

  System::Call 'shell32::SHChangeNotify(i ${SHCNE_ASSOCCHANGED}, i 0, p 0, p 0)'
SectionEnd

Section "Uninstall"
  Delete "$SMPROGRAMS\${APP}.lnk"
  ; Only what the installer put there: the folder may have been chosen by hand.
  RMDir /r "$INSTDIR\_internal"
  Delete "$INSTDIR\${EXE}"
  Delete "$INSTDIR\${UNINSTALLER}"
  RMDir "$INSTDIR"

  ReadRegStr $0 HKCU "Software\Classes\.placeplan" ""
  StrCmp $0 "${PROGID}" 0 +2
    DeleteRegKey HKCU "Software\Classes\.placeplan"
  DeleteRegKey HKCU "Software\Classes\${PROGID}"
  DeleteRegKey HKCU "${UNINSTALL_KEY}"
  DeleteRegKey HKCU "Software\${APP}"

  System::Call 'shell32::SHChangeNotify(i ${SHCNE_ASSOCCHANGED}, i 0, p 0, p 0)'
SectionEnd
