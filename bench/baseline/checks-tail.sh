
if [ "${1:-}" = once ]; then
  run_checks
  exit 0
fi

# PID 1 of its container: exit at once on SIGTERM. A round and the pause between two
# run in the background, so that the signal does not wait for a check's timeout.
trap 'kill "$!" 2>/dev/null; exit 0' TERM INT
while :; do
  run_checks & wait $!
  sleep "$INTERVAL" & wait $!
done
