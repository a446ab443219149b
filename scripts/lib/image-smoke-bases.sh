# Sourced by scripts/image-smoke.sh (which defines the settings, log, die, now_ms and the work directory):
# step 1, the base images.
# shellcheck shell=bash

# --- 1. base images ----------------------------------------------------------------------------------------------
# The mirrors the host's apt uses: "MAIN SECURITY" (SECURITY may be "-"), from one-line and deb822 sources.
host_mirrors() {
    python3 - <<'EOF'
import glob, re
main = sec = None
def take(uri, suite):
    global main, sec
    uri = uri.rstrip('/')
    if not uri.startswith(('http://', 'https://')):
        return
    if suite.endswith('-security') or '/debian-security' in uri:
        sec = sec or uri
    elif not re.search(r'-(updates|backports|proposed-updates)$', suite):
        main = main or uri
files = ['/etc/apt/sources.list'] + sorted(glob.glob('/etc/apt/sources.list.d/*.list'))
for f in files:
    try:
        lines = open(f).read().splitlines()
    except OSError:
        continue
    for line in lines:
        line = re.sub(r'\[[^]]*\]', '', line.split('#', 1)[0]).split()
        if len(line) >= 3 and line[0] == 'deb':
            take(line[1], line[2])
for f in sorted(glob.glob('/etc/apt/sources.list.d/*.sources')):
    for para in re.split(r'\n\s*\n', open(f).read()):
        fields = {}
        for line in para.splitlines():
            if line.startswith('#') or ':' not in line or line[0].isspace():
                continue
            k, v = line.split(':', 1)
            fields[k.strip().lower()] = v.split()
        if 'deb' not in fields.get('types', []) or fields.get('enabled', ['yes'])[0].lower() == 'no':
            continue
        for uri in fields.get('uris', []):
            for suite in fields.get('suites', []):
                take(uri, suite)
print(main or '-', sec or '-')
EOF
}

# Runs a command in the root filesystem $1 with /proc, /sys and /dev/pts mounted (unmounted again afterwards).
in_root() {
    local root=$1 m
    shift
    for m in proc sys dev/pts; do
        mkdir -p "$root/$m"
        case $m in
            proc) mount -t proc proc "$root/proc" ;;
            sys) mount -t sysfs sysfs "$root/sys" ;;
            dev/pts) mount -t devpts -o newinstance,ptmxmode=0666 devpts "$root/dev/pts" ;;
        esac
        MOUNTS+=("$root/$m")
    done
    local rc=0
    LC_ALL=C.UTF-8 DEBIAN_FRONTEND=noninteractive PATH=$PATH_ENV chroot "$root" "$@" || rc=$?
    for m in dev/pts sys proc; do
        umount "$root/$m" 2>/dev/null || umount -l "$root/$m"
    done
    MOUNTS=("${MOUNTS[@]:0:${#MOUNTS[@]}-3}")
    return "$rc"
}

MINBASE=
minbase() {
    [ -z "$MINBASE" ] || return 0
    MINBASE=$WORK/minbase
    log "debootstrap --variant=minbase $SUITE from $MIRROR (a few minutes)"
    timeout -k 30 "$BASE_TIMEOUT" debootstrap --variant=minbase --components=main --keyring="$KEYRING" \
        "$SUITE" "$MINBASE" "$MIRROR" >"$WORK/debootstrap.log" 2>&1 \
        || { tail -n 30 "$WORK/debootstrap.log" >&2; die "debootstrap failed (log above)"; }
}

# make_base IMAGE DESCRIPTION WITH_HOST_CAS PACKAGE...: a copy of the minbase with the packages, imported as IMAGE;
# with WITH_HOST_CAS=true, also trusting the host's own CA certificates (EXTRA_CA_DIR). A PACKAGE "jlink:JDK" is no
# package: the modules of JDK's runtime (its development tools left out), made by JDK's jlink into /opt/java/openjdk
# with a default CDS archive, as the Temurin JRE images have it.
make_base() {
    local image=$1 description=$2 with_cas=$3 root arch java_home cas=() jlink_jdk=
    shift 3
    if [ "${1:-}" != "${1#jlink:}" ]; then
        jlink_jdk=${1#jlink:}
        shift
        set -- ca-certificates "$@"
    fi
    if ! $REBUILD_BASES && podman image exists "$image"; then
        log "base $image exists (--rebuild-bases to make it again)"
        return 0
    fi
    wait_for_quiet "making $image"
    minbase
    root=$WORK/root-${image##*/}
    root=${root%%:*}
    rm -rf "$root"
    cp -a "$MINBASE" "$root"
    {
        echo "deb $MIRROR $SUITE main"
        echo "deb $MIRROR $SUITE-updates main"
        [ "$SECURITY_MIRROR" = none ] || echo "deb $SECURITY_MIRROR $SUITE-security main"
    } >"$root/etc/apt/sources.list"
    # No documentation, manual pages or translations; no recommended packages.
    cat >"$root/etc/dpkg/dpkg.cfg.d/01-nsscope-nodoc" <<'EOF'
path-exclude=/usr/share/doc/*
path-include=/usr/share/doc/*/copyright
path-exclude=/usr/share/man/*
path-exclude=/usr/share/info/*
path-exclude=/usr/share/locale/*
path-include=/usr/share/locale/locale.alias
path-exclude=/usr/share/lintian/*
EOF
    printf 'APT::Install-Recommends "false";\nAPT::Install-Suggests "false";\n' \
        >"$root/etc/apt/apt.conf.d/01-nsscope-norecommends"
    # openjdk's postinst registers alternatives with man-page links: their directory must exist.
    mkdir -p "$root/usr/share/man/man1"
    if $with_cas && [ -n "$EXTRA_CA_DIR" ] && [ -d "$EXTRA_CA_DIR" ]; then
        mapfile -t cas < <(find "$EXTRA_CA_DIR" -name '*.crt' -type f)
    fi
    if [ ${#cas[@]} -gt 0 ]; then
        log "the base for $image trusts the host's CA certificates from $EXTRA_CA_DIR: ${cas[*]##*/}"
        mkdir -p "$root/usr/local/share/ca-certificates"
        cp "${cas[@]}" "$root/usr/local/share/ca-certificates/"
    fi
    printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d"
    chmod 755 "$root/usr/sbin/policy-rc.d"
    log "installing $* into the base for $image"
    in_root "$root" timeout -k 30 "$BASE_TIMEOUT" sh -ec '
        apt-get -q update
        apt-get -q -y install "$@"
        apt-get -q -y upgrade
        apt-get clean
        update-ca-certificates' sh "$@" >"$WORK/apt-${image##*/}.log" 2>&1 \
        || { tail -n 30 "$WORK/apt-${image##*/}.log" >&2; die "installing $* failed (log above)"; }
    arch=$(chroot "$root" dpkg --print-architecture)
    java_home=/usr/lib/jvm/java-17-openjdk-$arch
    if [ -n "$jlink_jdk" ]; then
        java_home=/opt/java/openjdk
        local modules
        modules=$("$jlink_jdk/bin/java" --list-modules | sed 's/@.*//' | grep -v -x -E \
            'jdk\.(jlink|jpackage|javadoc|jshell|jdeps|jartool|jdi|hotspot\.agent|editpad|internal\.ed|internal\.le|internal\.opt|jconsole|jstatd|compiler|jcmd|jsobject|incubator\..*)' \
            | paste -sd, -)
        log "jlink of $jlink_jdk into $java_home of the base for $image"
        mkdir -p "$root/opt/java"
        "$jlink_jdk/bin/jlink" --add-modules "$modules" --strip-debug --no-man-pages --no-header-files \
            --generate-cds-archive --output "$root$java_home" >"$WORK/jlink.log" 2>&1 \
            || { tail -n 20 "$WORK/jlink.log" >&2; die "jlink failed (log above)"; }
    fi
    [ -x "$root$java_home/bin/java" ] || die "no $java_home/bin/java in the base for $image"
    # What a container does not need: package lists and caches, logs, docs, the host's resolver and name.
    rm -rf "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/*.bin "$root"/var/cache/debconf/*-old \
        "$root"/var/lib/dpkg/*-old "$root"/var/log/* "$root"/tmp/* "$root"/var/tmp/* \
        "$root"/usr/share/man/* "$root"/usr/share/info/* "$root"/usr/sbin/policy-rc.d
    find "$root/usr/share/locale" -mindepth 1 -maxdepth 1 -not -name locale.alias -exec rm -rf {} + 2>/dev/null || true
    find "$root/usr/share/doc" -mindepth 1 -not -name copyright -not -type d -delete 2>/dev/null || true
    find "$root/usr/share/doc" -mindepth 1 -type d -empty -delete 2>/dev/null || true
    : >"$root/etc/resolv.conf"
    : >"$root/etc/hostname"
    log "importing $image ($(du -sh "$root" | cut -f1) on disk)"
    podman rmi -f "$image" >/dev/null 2>&1 || true
    tar --numeric-owner --xattrs -C "$root" -cf - . | podman import --quiet \
        --change "ENV PATH=$([ -z "$jlink_jdk" ] || echo "$java_home/bin:")$PATH_ENV" --change "ENV LANG=C.UTF-8" \
        --change "ENV JAVA_HOME=$java_home" \
        --change 'CMD ["/bin/bash"]' \
        --change "LABEL org.opencontainers.image.description=\"$description\"" \
        --message "debootstrap --variant=minbase $SUITE + $*" - "$image" >/dev/null
    rm -rf "$root"
}
