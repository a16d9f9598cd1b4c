"""Reads what `/usr/bin/time -v` wrote: wall seconds, CPU seconds (user + system), peak RSS in MiB."""
import re


def measure(path):
    text = open(path).read()

    def field(name):
        return re.search(re.escape(name) + r":\s*(.+)", text).group(1).strip()

    h, m, s = (["0"] * 3 + field("Elapsed (wall clock) time (h:mm:ss or m:ss)").split(":"))[-3:]
    wall = int(h) * 3600 + int(m) * 60 + float(s)
    cpu = float(field("User time (seconds)")) + float(field("System time (seconds)"))
    rss = int(field("Maximum resident set size (kbytes)")) / 1024
    return wall, cpu, rss
