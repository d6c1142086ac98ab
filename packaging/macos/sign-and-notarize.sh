#!/usr/bin/env bash
# Signs Glass.app with a Developer ID Application certificate and the hardened runtime,
# notarises it with Apple, staples the ticket, and writes the PPPC profile with your team ID.
# Run on a Mac with Xcode's command-line tools; never run in CI (see docs/macos.md).
#
#   export GLASS_SIGN_IDENTITY="Developer ID Application: Example Corp (ABCDE12345)"
#   export GLASS_TEAM_ID=ABCDE12345
#   export GLASS_NOTARY_PROFILE=glass-notary   # made once with: xcrun notarytool
#                                              #   store-credentials glass-notary --apple-id ...
#   packaging/macos/build-app.sh
#   packaging/macos/sign-and-notarize.sh [dist/Glass.app]
#
# Instead of GLASS_NOTARY_PROFILE: GLASS_APPLE_ID and GLASS_APP_PASSWORD (an app-specific
# password). Outputs: the signed, stapled app; dist/Glass.zip (what was notarised, re-zipped
# with the ticket); dist/Glass-PPPC.mobileconfig.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
app=${1:-$root/dist/Glass.app}
dist=$(dirname "$app")
bundle_id=org.glass.agent

die() {
  echo "sign-and-notarize: $*" >&2
  exit 1
}

# What is needed, before anything is touched.
missing=()
[[ -n ${GLASS_SIGN_IDENTITY:-} ]] || missing+=("GLASS_SIGN_IDENTITY (\"Developer ID Application: Org (TEAMID)\")")
[[ -n ${GLASS_TEAM_ID:-} ]] || missing+=("GLASS_TEAM_ID (your 10-character team ID)")
if [[ -z ${GLASS_NOTARY_PROFILE:-} && ( -z ${GLASS_APPLE_ID:-} || -z ${GLASS_APP_PASSWORD:-} ) ]]; then
  missing+=("GLASS_NOTARY_PROFILE, or GLASS_APPLE_ID and GLASS_APP_PASSWORD")
fi
if [[ ${#missing[@]} -gt 0 ]]; then
  die "set $(printf '%s; ' "${missing[@]}")see the top of $0"
fi
[[ $GLASS_TEAM_ID =~ ^[A-Z0-9]{10}$ ]] || die "GLASS_TEAM_ID must be 10 capital letters or digits, got '$GLASS_TEAM_ID'"
[[ $(uname -s) == Darwin ]] || die "needs macOS (codesign, xcrun notarytool, xcrun stapler); this is $(uname -s)"
for tool in codesign ditto spctl xcrun; do
  command -v "$tool" >/dev/null 2>&1 || die "$tool not found: install Xcode's command-line tools (xcode-select --install)"
done
[[ -d $app ]] || die "no app at $app: run packaging/macos/build-app.sh first"

echo "== signing $app as $GLASS_SIGN_IDENTITY (hardened runtime, secure timestamp)"
codesign --force --timestamp --options runtime \
  --entitlements "$here/glass.entitlements" \
  --sign "$GLASS_SIGN_IDENTITY" "$app"
codesign --verify --strict --verbose=2 "$app"

# The designated requirement is what TCC and the PPPC profile match: it must name our bundle
# ID and team.
requirement=$(codesign -d -r- "$app" 2>&1)
[[ $requirement == *"identifier \"$bundle_id\""* ]] || die "designated requirement lacks identifier \"$bundle_id\": $requirement"
[[ $requirement == *"$GLASS_TEAM_ID"* ]] || die "designated requirement lacks team $GLASS_TEAM_ID: $requirement"

echo "== notarising (this waits for Apple, usually a few minutes)"
zip="$dist/Glass.zip"
rm -f "$zip"
ditto -c -k --keepParent "$app" "$zip"
if [[ -n ${GLASS_NOTARY_PROFILE:-} ]]; then
  xcrun notarytool submit "$zip" --keychain-profile "$GLASS_NOTARY_PROFILE" --wait
else
  xcrun notarytool submit "$zip" --apple-id "$GLASS_APPLE_ID" --team-id "$GLASS_TEAM_ID" \
    --password "$GLASS_APP_PASSWORD" --wait
fi

echo "== stapling"
xcrun stapler staple "$app"
xcrun stapler validate "$app"
spctl --assess --type execute --verbose=2 "$app"
rm -f "$zip"
ditto -c -k --keepParent "$app" "$zip"

sed "s/\"TEAMID\"/\"$GLASS_TEAM_ID\"/g" "$here/glass-pppc.mobileconfig" >"$dist/Glass-PPPC.mobileconfig"
echo "== done: $app, $zip, $dist/Glass-PPPC.mobileconfig (upload it to your MDM)"
