# Sourced by the fetch-*.sh scripts: fetches one exact npm package version and
# checks its tarball against a pinned sha256 (npm is the only registry the build
# machines reach besides Debian's).

sha256_of() { sha256sum "$1" | cut -d' ' -f1; }

# npm_fetch_verified TAG PACKAGE VERSION SHA256 DIR: writes the package's tarball
# into DIR and prints its path; exits with a message prefixed by TAG when npm
# produces no tarball or its sha256 is not SHA256.
npm_fetch_verified() {
  local tag="$1" package="$2" version="$3" expected="$4" dir="$5"
  echo "$tag: fetching $package@$version from the npm registry" >&2
  local name
  name="$(cd "$dir" && npm pack --silent --pack-destination "$dir" "$package@$version" | tail -n 1)"
  local tarball="$dir/$name"
  if [ -z "$name" ] || [ ! -f "$tarball" ]; then
    echo "$tag: npm pack of $package@$version produced no tarball" >&2
    exit 1
  fi
  local actual
  actual="$(sha256_of "$tarball")"
  if [ "$actual" != "$expected" ]; then
    echo "$tag: $name has sha256 $actual, expected $expected" >&2
    exit 1
  fi
  echo "$tarball"
}
