#!/usr/bin/env python3
"""A discard sink for the raw loopback ceiling: accepts PUT/POST bodies (Content-Length), reads and drops them,
answers 200. Python standard library only; one thread per connection. Prints "listening on http://127.0.0.1:PORT"
once ready. usage: sink.py [PORT]
"""
import socket
import sys
import threading

CHUNK = 1 << 20


def serve(conn):
    buf = bytearray(CHUNK)
    view = memoryview(buf)
    with conn:
        pending = b""
        while True:
            while b"\r\n\r\n" not in pending:
                data = conn.recv(65536)
                if not data:
                    return
                pending += data
            head, _, pending = pending.partition(b"\r\n\r\n")
            length = 0
            expect = False
            for line in head.split(b"\r\n")[1:]:
                name, _, value = line.partition(b":")
                if name.strip().lower() == b"content-length":
                    length = int(value.strip())
                elif name.strip().lower() == b"expect":
                    expect = True
            if expect:
                conn.sendall(b"HTTP/1.1 100 Continue\r\n\r\n")
            length -= len(pending)
            pending = b""
            while length > 0:
                n = conn.recv_into(view, min(CHUNK, length))
                if n == 0:
                    return
                length -= n
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")


def main():
    server = socket.socket()
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind(("127.0.0.1", int(sys.argv[1]) if len(sys.argv) > 1 else 0))
    server.listen(16)
    print(f"listening on http://127.0.0.1:{server.getsockname()[1]}", flush=True)
    while True:
        conn, _ = server.accept()
        threading.Thread(target=serve, args=(conn,), daemon=True).start()


if __name__ == "__main__":
    main()
