#!/bin/sh
# Installs PlacePlanner for this user only, with no root and no network: the program under
# ~/.local/opt/placeplanner, the command ~/.local/bin/placeplanner, an applications-menu entry,
# an icon, and the .placeplan file type opened by PlacePlanner.
#
#   sh install.sh               install, or replace an installed version
#   sh install.sh --uninstall   remove all of that again (or run ~/.local/opt/placeplanner/uninstall.sh)
#
# Plans and backups (~/.local/share/PlacePlanner and wherever plans were saved) are never touched.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
data=${XDG_DATA_HOME:-$HOME/.local/share}
opt=$HOME/.local/opt/placeplanner
bin=$HOME/.local/bin
manifest=$opt/installed-files

say() { printf '%s\n' "$*"; }

refresh() {
  # Each of these is optional: desktops pick the files up at next login without them. (No icon
  # cache: desktops read ~/.local/share/icons without one, and a stale one would hide icons.)
  if command -v update-mime-database >/dev/null 2>&1; then update-mime-database "$data/mime" >/dev/null 2>&1 || true; fi
  if command -v update-desktop-database >/dev/null 2>&1; then update-desktop-database -q "$data/applications" 2>/dev/null || true; fi
}

put() {  # put SOURCE TARGET: copy one file and remember it for the uninstaller
  mkdir -p "$(dirname "$2")"
  cp "$1" "$2"
  printf '%s\n' "$2" >> "$manifest.new"
}

install() {
  if [ ! -x "$here/PlacePlanner/placeplanner" ]; then
    say "install.sh: no PlacePlanner/placeplanner beside this script; unpack the whole archive first." >&2
    exit 1
  fi
  mkdir -p "$opt" "$bin"
  # Copy beside, then swap, so an interrupted install leaves the previous version working.
  rm -rf "$opt/PlacePlanner.new"
  cp -R "$here/PlacePlanner" "$opt/PlacePlanner.new"
  rm -rf "$opt/PlacePlanner"
  mv "$opt/PlacePlanner.new" "$opt/PlacePlanner"
  program=$opt/PlacePlanner/placeplanner

  : > "$manifest.new"
  desktop=$data/applications/placeplanner.desktop
  mkdir -p "$(dirname "$desktop")"
  sed "s|@EXEC@|$program|" "$here/placeplanner.desktop" > "$desktop"
  printf '%s\n' "$desktop" >> "$manifest.new"
  put "$here/placeplanner.svg" "$data/icons/hicolor/scalable/apps/placeplanner.svg"
  put "$here/placeplanner.svg" "$data/icons/hicolor/scalable/mimetypes/application-x-placeplan.svg"
  put "$here/placeplanner-mime.xml" "$data/mime/packages/placeplanner.xml"
  cp "$here/install.sh" "$opt/uninstall.sh"
  ln -sf "$program" "$bin/placeplanner"
  mv "$manifest.new" "$manifest"

  refresh
  if command -v xdg-mime >/dev/null 2>&1; then
    xdg-mime default placeplanner.desktop application/x-placeplan 2>/dev/null || true
  fi
  say "Installed $("$program" --version) in $opt."
  say "Start it from the applications menu, or run: placeplanner"
  case ":$PATH:" in
    *":$bin:"*) ;;
    *) say "Note: $bin is not on your PATH; add it, or run $bin/placeplanner" ;;
  esac
}

uninstall() {
  if [ -f "$manifest" ]; then
    while IFS= read -r file; do
      rm -f "$file"
    done < "$manifest"
  fi
  if [ -L "$bin/placeplanner" ]; then
    case $(readlink "$bin/placeplanner") in
      "$opt"/*) rm -f "$bin/placeplanner" ;;
    esac
  fi
  mimeapps=${XDG_CONFIG_HOME:-$HOME/.config}/mimeapps.list
  if [ -f "$mimeapps" ]; then
    sed -i '/^application\/x-placeplan=placeplanner\.desktop;\{0,1\}$/d' "$mimeapps"
  fi
  rm -rf "$opt"
  refresh
  say "PlacePlanner is uninstalled. Your plans and backups are kept (backups: $data/PlacePlanner)."
}

case "$(basename "$0"):${1:-}" in
  *:-h|*:--help) sed -n '2,10p' "$0" ;;
  uninstall.sh:|*:--uninstall) uninstall ;;
  *:) install ;;
  *) say "install.sh: unknown option '$1' (try --help)" >&2; exit 2 ;;
esac
