#!/usr/bin/env python3
"""A WAN link in user space (netem is not available on these machines): a TCP relay between clients and one server.

    bench/wanrelay.py --listen 127.0.0.1:0 --target 127.0.0.1:PORT --rtt-ms 100 --rate-mbit 200 --window-kib 1024

Every byte is held for half the round trip in each direction. One bandwidth cap per direction is shared by every
connection (a link is a queue: a chunk leaves when the link is free, so many connections split the rate). Each
connection may have at most --window-kib bytes unacknowledged per direction, and a byte is acknowledged one round
trip after it was sent - what a TCP window does to one stream on a long link. A new connection costs one round
trip before its first byte (the SYN / SYN-ACK exchange). Prints `listening on PORT` once ready; SIGTERM stops it.
"""

import argparse
import asyncio
import signal
import sys

CHUNK = 64 * 1024


class Link:
    """One direction of the shared link: the time it is next free."""

    def __init__(self, rate_bytes_per_s):
        self.rate = rate_bytes_per_s
        self.free_at = 0.0

    def transmit(self, now, size):
        """When a chunk of this size, handed over now, has left the link."""
        if self.rate <= 0:
            return now
        start = max(now, self.free_at)
        self.free_at = start + size / self.rate
        return self.free_at


class Direction:
    """Bytes of one connection in one direction, delayed, rate-shared and windowed."""

    def __init__(self, reader, writer, link, args):
        self.reader = reader
        self.writer = writer
        self.link = link
        self.half_rtt = args.rtt_ms / 2000.0
        self.window = args.window_kib * 1024
        self.unacked = 0
        self.credit = asyncio.Event()
        self.credit.set()
        self.closed = False

    def acknowledge(self, size):
        self.unacked -= size
        self.credit.set()

    def deliver(self, data):
        if not self.closed:
            self.writer.write(data)

    def finish(self):
        if not self.closed:
            self.closed = True
            try:
                self.writer.write_eof()
            except (OSError, RuntimeError):
                self.writer.close()

    async def run(self):
        loop = asyncio.get_running_loop()
        last_delivery = 0.0
        try:
            while True:
                while self.window > 0 and self.unacked >= self.window:
                    self.credit.clear()
                    await self.credit.wait()
                allowed = CHUNK if self.window <= 0 else min(CHUNK, self.window - self.unacked)
                data = await self.reader.read(allowed)
                if not data:
                    break
                now = loop.time()
                sent = self.link.transmit(now, len(data))
                arrival = max(sent + self.half_rtt, last_delivery)
                last_delivery = arrival
                self.unacked += len(data)
                loop.call_at(arrival, self.deliver, data)
                loop.call_at(arrival + self.half_rtt, self.acknowledge, len(data))
        except (ConnectionError, OSError):
            pass
        loop.call_at(max(loop.time() + self.half_rtt, last_delivery), self.finish)


class Relay:
    def __init__(self, args):
        self.args = args
        rate = args.rate_mbit * 1_000_000 / 8
        self.up = Link(rate)
        self.down = Link(rate)
        self.connections = 0

    async def handle(self, client_reader, client_writer):
        self.connections += 1
        host, port = self.args.target.rsplit(":", 1)
        await asyncio.sleep(self.args.rtt_ms / 1000.0)  # the handshake's round trip
        try:
            server_reader, server_writer = await asyncio.open_connection(host, int(port))
        except OSError:
            client_writer.close()
            return
        up = Direction(client_reader, server_writer, self.up, self.args)
        down = Direction(server_reader, client_writer, self.down, self.args)
        await asyncio.gather(up.run(), down.run())
        await asyncio.sleep(self.args.rtt_ms / 1000.0)
        for writer in (client_writer, server_writer):
            writer.close()


async def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--listen", default="127.0.0.1:0")
    parser.add_argument("--target", required=True, help="HOST:PORT of the server")
    parser.add_argument("--rtt-ms", type=float, default=100.0)
    parser.add_argument("--rate-mbit", type=float, default=200.0, help="per direction, shared; 0: unlimited")
    parser.add_argument("--window-kib", type=int, default=1024, help="unacknowledged bytes per connection; 0: none")
    args = parser.parse_args()

    relay = Relay(args)
    host, port = args.listen.rsplit(":", 1)
    server = await asyncio.start_server(relay.handle, host, int(port), limit=CHUNK)
    print(f"listening on {server.sockets[0].getsockname()[1]}", flush=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    async with server:
        await stop.wait()
    print(f"connections {relay.connections}", file=sys.stderr, flush=True)


if __name__ == "__main__":
    asyncio.run(main())
