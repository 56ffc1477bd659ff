#!/usr/bin/env bash
# Installs Vigil as a service on a Debian/Ubuntu host (run as root from a checkout):
# builds the sensor, installs it under /opt/vigil, creates the unprivileged `vigil` user,
# installs the unit and, if absent, /etc/vigil/vigil.env. Does not start anything.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
[ "$(id -u)" = 0 ] || { echo "install.sh: run as root" >&2; exit 2; }
command -v java >/dev/null || { echo "install.sh: needs a Java 17 runtime (apt-get install openjdk-17-jre-headless)" >&2; exit 2; }
DEBIAN_FRONTEND=noninteractive apt-get install -y -q libpcap0.8 >/dev/null
(cd "$here" && ./mvnw -B -q -DskipTests package -pl sensor -am)
id vigil >/dev/null 2>&1 || useradd --system --home-dir /var/lib/vigil --shell /usr/sbin/nologin vigil
install -d -m 0755 /opt/vigil/bin /opt/vigil/lib
install -m 0644 "$here"/sensor/target/vigil-sensor-*-all.jar /opt/vigil/lib/vigil-sensor.jar
install -m 0755 "$here/deploy/vigil-service" /opt/vigil/bin/vigil-service
install -m 0644 "$here/README.md" /opt/vigil/README.md
install -d -m 0750 -o root -g vigil /etc/vigil
[ -f /etc/vigil/vigil.env ] || install -m 0640 -o root -g vigil "$here/deploy/vigil.env" /etc/vigil/vigil.env
install -m 0644 "$here/deploy/vigil.service" /etc/systemd/system/vigil.service
systemctl daemon-reload 2>/dev/null || true
echo "installed: edit /etc/vigil/vigil.env (interfaces), then: systemctl enable --now vigil; journalctl -u vigil -f"
