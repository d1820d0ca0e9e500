# Pipelined: a long answer (gzip) then a POST one byte or more over the body limit (102400). Repeated REP times.
# usage: python3 pipeline-413.py HOST PORT [SIZE...]
import socket, sys, time, gzip
host, port = sys.argv[1], int(sys.argv[2]); sizes = [int(x) for x in sys.argv[3:]] or [102401, 200000]
first_q = b'{"query":"{ sources(first: 20) { nodes { text } } }"}'
first = b"POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nAccept-Encoding: gzip\r\nContent-Length: %d\r\n\r\n" % len(first_q) + first_q
for size in sizes:
  for send_body in (True, False):
    res = []
    for rep in range(3):
        s = socket.create_connection((host, port)); s.settimeout(10)
        second = b"POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n" % size + (b" " * size if send_body else b"")
        s.sendall(first + second); buf = b""; reset = False
        try:
            while True:
                c = s.recv(1 << 20)
                if not c: break
                buf += c
        except socket.timeout: pass
        except ConnectionResetError: reset = True
        head, _, rest = buf.partition(b"\r\n\r\n")
        cl = int([l for l in head.split(b"\r\n") if l.lower().startswith(b"content-length")][0].split(b":")[1])
        second_status = rest[cl:cl + 40].split(b"\r\n")[0].decode("latin1")
        res.append(f"{'WHOLE' if len(rest) >= cl else f'CUT {len(rest)}/{cl}'}{' RESET' if reset else ''} then {second_status or '-'}")
        s.close()
    print(f"second POST Content-Length {size}, body {'sent' if send_body else 'not sent'}: " + " | ".join(res))
