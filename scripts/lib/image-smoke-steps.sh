# Sourced by scripts/image-smoke.sh (which defines the settings, log, die, now_ms and the work directory): steps 2
# and 5, building the image and checking its AOT cache. Every variable they set is global: the summary reads them.
# shellcheck shell=bash

# --- 2. the image ------------------------------------------------------------------------------------------------
build_image() {
    dirty=$(git -C "$REPO" status --porcelain --untracked-files=no -- Dockerfile .dockerignore pom.xml mvnw .mvn src)
    [ -z "$dirty" ] || log "note: uncommitted changes in $REPO are NOT in the image (it is built from $COMMIT):"$'\n'"$dirty"
    git clone --quiet --no-hardlinks "$REPO" "$WORK/src"
    git -C "$WORK/src" checkout --quiet --detach "$COMMIT"
    VERSION=$(python3 -c 'import sys, xml.etree.ElementTree as E
n = {"m": "http://maven.apache.org/POM/4.0.0"}
print(E.parse(sys.argv[1]).getroot().find("m:version", n).text)' "$WORK/src/pom.xml")

    previous_image=$(podman image inspect --format '{{.Id}}' "$IMAGE" 2>/dev/null || true)
    wait_for_quiet "podman build"
    log "podman build $IMAGE from $COMMIT (version $VERSION); log: $WORK/build.log"
    build_start=$(now_ms)
    # --network=host: the build stage downloads Maven and the dependencies from Maven Central.
    if ! timeout -k 30 "$BUILD_TIMEOUT" podman build --pull=never --network=host --layers "${LIMITS[@]}" \
            --build-arg BUILDER_IMAGE="$BUILD_BASE" --build-arg RUNTIME_IMAGE="$RUNTIME_BASE" \
            --build-arg VERSION="$VERSION" --build-arg REVISION="$COMMIT" \
            -t "$IMAGE" -f "$WORK/src/Dockerfile" "$WORK/src" >"$WORK/build.log" 2>&1; then
        tail -n 40 "$WORK/build.log" >&2
        KEEP_WORK=true
        die "podman build failed (log above; full log kept in $WORK/build.log)"
    fi
    build_s=$(( ($(now_ms) - build_start) / 1000 ))
    mkdir -p "$(dirname "$SUMMARY_FILE")"
    cp "$WORK/build.log" "${SUMMARY_FILE%.md}-build.log"
    log "built in ${build_s}s"
    # The image this one replaces (now untagged) is no cache: remove it, unless something still uses it.
    if [ -n "$previous_image" ] && [ "$previous_image" != "$(podman image inspect --format '{{.Id}}' "$IMAGE")" ]; then
        podman rmi "$previous_image" >/dev/null 2>&1 || true
    fi

    image_size=$(podman image inspect --format '{{.Size}}' "$IMAGE")
    image_layers=$(podman image inspect --format '{{len .RootFS.Layers}}' "$IMAGE")
    runtime_size=$(podman image inspect --format '{{.Size}}' "$RUNTIME_BASE")
    jsa_size=$(podman run --rm --name "$CTR-cds" --network=none "${LIMITS[@]}" --entrypoint stat "$IMAGE" -c %s /app/nsscope.aot \
        2>/dev/null || echo none)
    history=$(podman history --no-trunc --format '{{.Size}}\t{{.CreatedBy}}' "$IMAGE" | cut -c1-140)
}

# --- 5. AOT cache -------------------------------------------------------------------------------------------------
check_aot_cache() {
    # The entrypoint's JVM options (without its -jar /app/nsscope.jar) with -XX:AOTMode=on (the JVM refuses to start
    # if it cannot use the cache) and the class-loading log: a training-like run that stops once the context is
    # refreshed.
    wait_for_quiet "the AOT cache check"
    entry_opts=$(podman image inspect --format '{{range $i, $a := .Config.Entrypoint}}{{if $i}}{{"\n"}}{{end}}{{$a}}{{end}}' "$IMAGE" \
        | sed -n '2,$p' | grep -v -e '^org\.springframework' -e '^-jar$' -e '\.jar$' || true)
    mapfile -t entry_opts <<<"$entry_opts"
    log "AOT cache check: ${entry_opts[*]} -XX:AOTMode=on -Xlog:class+load"
    cds_rc=0
    podman run --rm --name "$CTR-cds" --network=none "${LIMITS[@]}" "${memory[@]}" --read-only --tmpfs /tmp \
        --entrypoint java "$IMAGE" "${entry_opts[@]}" -XX:AOTMode=on -Xlog:class+load=info:stdout:none \
        -Dspring.context.exit=onRefresh -Dspring.main.banner-mode=off -Dlogging.level.root=warn \
        -jar /app/nsscope.jar >"$WORK/cds.log" 2>&1 || cds_rc=$?
    classes_total=$(grep -c ' source: ' "$WORK/cds.log" || true)
    classes_cached=$(grep -c 'source: shared objects file' "$WORK/cds.log" || true)
    if [ "$cds_rc" -ne 0 ]; then
        cds_verdict="NOT usable: the JVM with -XX:AOTMode=on exited $cds_rc: $(grep -v ' source: ' "$WORK/cds.log" | head -n 3 | tr '\n' ' ')"
    elif [ "$classes_cached" -gt 0 ]; then
        cds_verdict="used: $classes_cached of $classes_total classes loaded up to the refreshed context came from nsscope.aot"
    else
        cds_verdict="nsscope.aot NOT used: 0 of $classes_total classes from it"
    fi
    log "AOT cache: $cds_verdict"

    # Startup-to-ready with the image's entrypoint (the AOT cache) and with -XX:AOTMode=off (Spring AOT still on).
    compare_line="not measured (--no-compare)"
    if $COMPARE; then
        declare -gA starts=()
        busy_starts=
        for ((i = 1; i <= STARTS; i++)); do
            for variant in entrypoint aot-off; do
                wait_for_quiet "a start"
                wait_cpu_quiet
                busy=$BUSY
                start=$(now_ms)
                if [ "$variant" = entrypoint ]; then
                    run_container "$CTR-start"
                else
                    run_container "$CTR-start" --entrypoint java -- "${entry_opts[@]}" -XX:AOTMode=off \
                        -jar /app/nsscope.jar
                fi
                wait_ready "$CTR-start" "$start"
                ms=$READY_MS
                remove_container "$CTR-start"
                starts[$variant]="${starts[$variant]:-} $ms"
                busy_starts+=" $busy%"
                log "start $i, $variant: ready in $ms ms (CPUs ${busy}% busy before)"
            done
        done
        median() { tr ' ' '\n' <<<"$1" | grep . | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
        compare_line="median of $STARTS: $(median "${starts[entrypoint]}") ms with the entrypoint (nsscope.aot)"
        compare_line+=" vs $(median "${starts[aot-off]}") ms with -XX:AOTMode=off"
        compare_line+=" (each:${starts[entrypoint]} vs${starts[aot-off]}; CPUs busy before each start:$busy_starts)"
    fi
}
