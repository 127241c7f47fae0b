# Shared by bin/meshdesk-up and bin/meshdesk-test: finding or installing what meshdesk needs.
# Sourced, not run.

say() { printf '[meshdesk] %s\n' "$*"; }
die() { printf '[meshdesk] error: %s\n' "$*" >&2; exit 1; }

# apt_install PACKAGE... : installs Debian packages when running as root, else says how.
apt_install() {
  if [ "$(id -u)" != 0 ]; then
    die "missing: $*. Install them with: sudo apt-get install -y --no-install-recommends $*"
  fi
  say "installing $* with apt-get"
  if [ -z "${MESHDESK_APT_UPDATED:-}" ]; then
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null || die "apt-get update failed"
    export MESHDESK_APT_UPDATED=1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null \
    || die "apt-get install $* failed"
}

need_java() {
  command -v java >/dev/null 2>&1 || apt_install openjdk-17-jdk-headless
}

need_etcd() {
  command -v etcd >/dev/null 2>&1 || apt_install etcd-server etcd-client
}

need_prometheus() {
  command -v prometheus >/dev/null 2>&1 && command -v promtool >/dev/null 2>&1 \
    && command -v prometheus-alertmanager >/dev/null 2>&1 && command -v amtool >/dev/null 2>&1 \
    || apt_install prometheus prometheus-alertmanager
}

# have_prometheus: true when Prometheus and Alertmanager are here, or were just installed
# (as root); false, with a note, when they are missing and cannot be installed.
have_prometheus() {
  if command -v prometheus >/dev/null 2>&1 && command -v prometheus-alertmanager >/dev/null 2>&1; then
    return 0
  fi
  if [ "$(id -u)" = 0 ]; then
    apt_install prometheus prometheus-alertmanager
    return 0
  fi
  say "Prometheus is not installed, so monitoring is not started; to get it:"
  say "  sudo apt-get install -y --no-install-recommends prometheus prometheus-alertmanager"
  return 1
}

# dev_issuer_classpath: the class path of the development issuer's command line
# (bin/meshdesk-token), run from libraries/identity/target/classes; builds that module first when
# it is missing or older than its sources. FOR DEVELOPMENT ONLY: it signs whatever it is asked for.
dev_issuer_classpath() {
  local m=libraries/identity
  if [ ! -f "$m/target/classpath.txt" ] || [ -n "$(find "$m/src/main" -newer "$m/target/classpath.txt" -print -quit)" ]; then
    ./mvnw -B -q --no-transfer-progress -DskipTests -pl "$m" -am compile >&2 || die "building $m failed"
  fi
  echo "$m/target/classes:$(cat "$m/target/classpath.txt")"
}
