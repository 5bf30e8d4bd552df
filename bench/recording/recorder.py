#!/usr/bin/env python3
"""A simulated recorder for bench/recording (python3 standard library): writes frames to disk as a camera
recorder does and measures how long each frame takes to be on disk.

usage: recorder.py --dir DIR [--frame-mib 2] [--fps 30] [--seconds 30] [--frames-out FILE]

Frame k is due at start + k/fps (a fixed schedule: a late frame does not move the next ones). At its due time the
recorder writes the whole frame with os.write and makes it durable with os.fdatasync; when a frame is late (the
previous ones overran) it starts at once, without sleeping. Every frame is written, late or not, so the disk sees
the same load in every run.
- latency: from the frame's write start to fdatasync's return (time.perf_counter), in ms;
- dropped: a frame not on disk within one frame period of its due time: its latency alone exceeded the period
  (`dropped_slow`), or it started late because earlier frames overran and finished past its deadline. A real
  recorder with one frame of buffer loses such a frame (the next one has arrived);
- late_starts: frames that started more than 1 ms after their due time.
Prints one line of JSON: frames, p50_ms, p99_ms, max_ms, dropped, dropped_slow, late_starts, and the settings.
The file (DIR/recorder-<pid>.bin) is deleted at the end, also on SIGTERM/SIGINT. --frames-out writes one line per
frame: "index<TAB>start_offset_ms<TAB>latency_ms" (start offset: how late it started).
"""
import argparse
import json
import os
import signal
import sys
import time

MiB = 1024 * 1024


def percentile(values, q):
    """Nearest rank over the sorted values, as bench/apiclient.py does."""
    return values[min(len(values) - 1, int(q * len(values)))] if values else float("nan")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dir", required=True, help="where the recording file goes (the episode data's disk)")
    parser.add_argument("--frame-mib", type=float, default=2)
    parser.add_argument("--fps", type=float, default=30)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--frames-out", help="per-frame figures, one TSV line per frame")
    args = parser.parse_args()

    frame_bytes = int(args.frame_mib * MiB)
    count = int(round(args.fps * args.seconds))
    period = 1.0 / args.fps
    stat = os.statvfs(args.dir)
    if stat.f_bavail * stat.f_frsize < frame_bytes * count + 256 * MiB:
        sys.exit(f"recorder: {args.dir} has less free space than {frame_bytes * count // MiB} MiB + 256 MiB")
    frame = os.urandom(frame_bytes)  # incompressible, written again for every frame
    path = os.path.join(args.dir, f"recorder-{os.getpid()}.bin")
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)

    def stop(signum, _frame):
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    latencies, offsets = [], []
    dropped = dropped_slow = late = 0
    try:
        start = time.perf_counter()
        for k in range(count):
            due = start + k * period
            now = time.perf_counter()
            if now < due:
                time.sleep(due - now)  # pacing to the frame clock, not synchronisation
            begin = time.perf_counter()
            view = memoryview(frame)
            while view:
                view = view[os.write(fd, view):]
            os.fdatasync(fd)
            end = time.perf_counter()
            latency = end - begin
            latencies.append(latency * 1000)
            offsets.append((begin - due) * 1000)
            late += begin - due > 0.001
            dropped_slow += latency > period
            dropped += end - due > period
        elapsed = time.perf_counter() - start
    finally:
        os.close(fd)
        os.unlink(path)

    if args.frames_out:
        with open(args.frames_out, "w") as out:
            for k, (offset, latency) in enumerate(zip(offsets, latencies)):
                out.write(f"{k}\t{offset:.3f}\t{latency:.3f}\n")
    ordered = sorted(latencies)
    print(json.dumps({
        "frames": count, "frame_mib": args.frame_mib, "fps": args.fps, "seconds": round(elapsed, 2),
        "p50_ms": round(percentile(ordered, 0.50), 2), "p99_ms": round(percentile(ordered, 0.99), 2),
        "max_ms": round(ordered[-1], 2), "dropped": dropped, "dropped_slow": dropped_slow, "late_starts": late,
    }))


if __name__ == "__main__":
    main()
