# Sourced by profile.sh and alloc-profile.sh: starts pop3gw serve on a directory kept by
# 'compare.sh --keep' ($work, $port and the POP3GW__ settings already set), logging to $work/$1,
# stops it on exit, and returns once it accepts POP3 connections. Sets pid.
(cd "$work" && exec "$work/pop3gw/pop3gw" serve >"$work/$1" 2>&1) &
pid=$!
trap 'kill $pid 2>/dev/null || true; wait $pid 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do
  (exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null && break
  sleep 0.5
done
