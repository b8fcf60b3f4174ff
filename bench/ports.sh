# Loopback ports for the benchmark scripts, so that two of them (or a benchmark and the tests) can run at once.
# free_ports N: N distinct loopback ports, free now and below the kernel's ephemeral range (the range the tests'
# servers and Azurite pick theirs from), on one line.
free_ports() {
  python3 - "$1" <<'PY'
import random, socket, sys
held = []
while len(held) < int(sys.argv[1]):
    s = socket.socket()
    try:
        s.bind(("127.0.0.1", random.randint(12000, 19999)))
        held.append(s)
    except OSError:
        s.close()
print(" ".join(str(s.getsockname()[1]) for s in held))
for s in held:
    s.close()
PY
}
