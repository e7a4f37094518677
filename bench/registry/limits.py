#!/usr/bin/env python3
"""Loads a registry with idle connections and parallel uploads, all on 127.0.0.1, and prints what came back.

    limits.py URL IDLE UPLOADS MIB

Opens IDLE keep-alive connections (each answers one GET /v2/ and then sits idle), then, while they
stay open, pushes UPLOADS blobs of MIB MiB each at once (POST, PATCH, PUT), and
prints one line: how many idle connections were served, refused or cut, and the uploads' statuses.
Every socket has a 60 s timeout, so a run ends even when the server stops answering.
"""
import hashlib
import os
import resource
import socket
import sys
import threading
import urllib.parse
from collections import Counter

url, idle_count, upload_count, mib = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
target = urllib.parse.urlparse(url)
host, port = target.hostname, target.port
soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


def connect():
    s = socket.create_connection((host, port), timeout=60)
    s.settimeout(60)
    return s


def read_head(s):
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = s.recv(65536)
        if not chunk:
            return None, data
        data += chunk
    head, _, rest = data.partition(b"\r\n\r\n")
    return head.decode("latin-1"), rest


idle, idle_results = [], Counter()
for _ in range(idle_count):
    try:
        s = connect()
        s.sendall(b"GET /v2/ HTTP/1.1\r\nHost: %s\r\n\r\n" % host.encode())
        head, _ = read_head(s)
        idle_results["served" if head and head.startswith("HTTP/1.1 200") else "closed"] += 1
        idle.append(s)
    except OSError:
        idle_results["refused"] += 1


def request(s, method, path, length=0):
    s.sendall(("%s %s HTTP/1.1\r\nHost: %s\r\nContent-Type: application/octet-stream\r\n"
               "Content-Length: %d\r\n\r\n" % (method, path, host, length)).encode())


def send_quietly(s, data):
    try:
        s.sendall(data)
    except OSError:
        pass  # refused before the body was sent: the answer may still be there to read


def upload(statuses, lock, together):
    """POST, one streamed PATCH, PUT ?digest=, as docker and podman push. Every PATCH has sent its
    first MiB before any sends the rest, so all of them are in progress at once."""
    body = os.urandom(1 << 20) * mib  # a blob new to the registry: its first MiB differs per upload
    digest = "sha256:" + hashlib.sha256(body).hexdigest()
    status = "reset"
    try:
        s = connect()
        request(s, "POST", "/v2/bench/limits/blobs/uploads/")
        head, _ = read_head(s)
        location = [line.split(":", 1)[1].strip() for line in head.split("\r\n") if line.lower().startswith("location:")][0]
        path = urllib.parse.urlparse(location).path + (("?" + urllib.parse.urlparse(location).query) if urllib.parse.urlparse(location).query else "")
        request(s, "PATCH", path, len(body))
        send_quietly(s, body[:1 << 20])
        together.wait(60)
        send_quietly(s, body[1 << 20:])
        head, rest = read_head(s)
        status = head.split(" ")[1] if head else "closed"
        if status == "202":
            length = int([line.split(":", 1)[1] for line in head.split("\r\n") if line.lower().startswith("content-length:")][0] or 0)
            while len(rest) < length:
                rest += s.recv(65536)
            location = [line.split(":", 1)[1].strip() for line in head.split("\r\n") if line.lower().startswith("location:")][0]
            parsed = urllib.parse.urlparse(location)
            request(s, "PUT", parsed.path + "?" + ((parsed.query + "&") if parsed.query else "") + "digest=" + digest)
            head, _ = read_head(s)
            status = head.split(" ")[1] if head else "closed"
        s.close()
    except (OSError, threading.BrokenBarrierError, IndexError):
        pass
    with lock:
        statuses[status] += 1


statuses, lock = Counter(), threading.Lock()
together = threading.Barrier(max(upload_count, 1))
threads = [threading.Thread(target=upload, args=(statuses, lock, together)) for _ in range(upload_count)]
for t in threads:
    t.start()
for t in threads:
    t.join(120)
for s in idle:
    s.close()
print("idle connections: %s; uploads: %s" % (dict(idle_results), dict(statuses)))
