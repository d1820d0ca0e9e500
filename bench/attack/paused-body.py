# python3 paused-body.py HOST PORT N HOLD_S [MODE]
# env: AFTER_ANSWER=1 sends each slow POST once its connection's answer has begun; FIRST=N sources(first: N) for the first answer (1: 183 KB, 100: 9.2 MB); TRICKLE=S read up to TAKE bytes (default 256 KiB) from each connection every S s (progress, so the unsent rule's 60 s stall never fires); STAGGER=S between connects
# N connections, each: (small SO_RCVBUF) a POST for a ~9 MB answer, never read; 1 s later the headers of a
# second, pipelined POST announcing a 1000-byte body, then only BODY bytes (default 0) and nothing more.
# MODE "paused" (default) as above; MODE "plain": no first request, only the announced body (the drip control).
# Reports, for each connection, when it closed (EOF/reset) and the status lines it got, within HOLD_S.
import socket, sys, time, json, select, re
host, port, n, hold = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
mode = sys.argv[5] if len(sys.argv) > 5 else "paused"
import os
FIRST = int(os.environ.get("FIRST", "100")); TRICKLE = float(os.environ.get("TRICKLE", "0")); TAKE = int(os.environ.get("TAKE", "262144"))
q = json.dumps({"query": "{ a: sources(first: %d) { nodes { text } } } #%%s" % FIRST})
def big(i):
    b = (q % i).encode()
    return b"POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nAccept-Encoding: identity\r\nContent-Length: %d\r\n\r\n" % len(b) + b
slow = b"POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n"
socks = []
t0 = time.time()
for i in range(n):
    s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096); s.connect((host, port))
    if mode == "paused": s.sendall(big(0)); time.sleep(float(__import__("os").environ.get("STAGGER", "0")))
    socks.append(s)
time.sleep(1.5)
if os.environ.get("AFTER_ANSWER"):
    # send each slow POST only once that connection's answer has begun (its first bytes are readable)
    pending = set(range(n)); deadline = time.time() + 60
    while pending and time.time() < deadline:
        for i in list(pending):
            r, _, _ = select.select([socks[i]], [], [], 0)
            if r:
                socks[i].sendall(slow); pending.discard(i)
        time.sleep(0.05)
    for i in pending: socks[i].sendall(slow)
    print(f"t={time.time()-t0:.0f}s slow headers sent ({len(pending)} before their answer began)", flush=True)
else:
    for s in socks: s.sendall(slow)
closed = {}
got = {i: b"" for i in range(n)}
last_trickle = time.time()
while time.time() - t0 < hold and len(closed) < n:
    time.sleep(0.5)
    if TRICKLE and time.time() - last_trickle >= TRICKLE:
        last_trickle = time.time()
        took = {i: 0 for i in range(n)}
        end = time.time() + 2
        while time.time() < end:
            for i, s in enumerate(socks):
                if took[i] >= TAKE: continue
                try:
                    s.setblocking(False); took[i] += len(s.recv(65536))
                except Exception: pass
            time.sleep(0.02)
        for s in socks: s.setblocking(True)
        print(f"t={time.time()-t0:.0f}s trickle took {sum(took.values())} bytes over {sum(1 for v in took.values() if v)} connections", flush=True)
    # peek without consuming much: only check closure via MSG_PEEK on a tiny read of the end
    for i, s in enumerate(socks):
        if i in closed: continue
        try:
            # the answer is big; we must not read it (that is the point). Check liveness with a zero-byte send? use SO_ERROR + poll for POLLRDHUP isn't portable:
            err = s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
            if err: closed[i] = (round(time.time() - t0, 1), "err%d" % err)
        except OSError as e:
            closed[i] = (round(time.time() - t0, 1), str(e))
    # probe: tcp info state (CLOSE_WAIT = 8 means the server closed its side)
    for i, s in enumerate(socks):
        if i in closed: continue
        info = s.getsockopt(socket.IPPROTO_TCP, socket.TCP_INFO, 8)
        if info[0] != 1: closed[i] = (round(time.time() - t0, 1), "tcp state %d" % info[0])
firsts = {}
for i, s in enumerate(socks):
    try:
        s.setblocking(False); firsts[i] = s.recv(40, socket.MSG_PEEK)[:12].decode()
    except Exception as e: firsts[i] = type(e).__name__
    s.setblocking(True)
from collections import Counter
print("first status lines:", Counter(firsts.values()))
print("closed at (s):", Counter(c[0] for c in closed.values()))
print(f"mode={mode} n={n}: closed by the server within {hold}s: {len(closed)}; times: {sorted(set(c[0] for c in closed.values()))[:10]}")
# now read what each got (the first status lines), briefly
for i, s in list(enumerate(socks))[:3]:
    s.setblocking(False); data = b""
    end = time.time() + 3
    while time.time() < end:
        try:
            d = s.recv(1 << 20)
            if not d: break
            data += d
        except BlockingIOError: time.sleep(0.05)
        except OSError: break
    print(i, re.findall(rb"HTTP/1.1 \d+ [^\r]*", data)[:3], re.findall(rb'"code":"[A-Z_]+"', data)[:3], len(data))
for s in socks: s.close()
