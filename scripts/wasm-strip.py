#!/usr/bin/env python3
"""Removes the custom sections (function names, producers, target features) from wasm files in
place: wasm-split-cli copies them into every chunk it writes, where nothing reads them.
Usage: wasm-strip.py FILE.wasm..."""
import sys


def leb128(data: bytes, i: int) -> tuple[int, int]:
    value = shift = 0
    while True:
        byte = data[i]
        i += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            return value, i


def strip(data: bytes) -> bytes:
    if data[:4] != b"\0asm":
        raise ValueError("not a wasm module")
    out = bytearray(data[:8])
    i = 8
    while i < len(data):
        start = i
        section_id = data[i]
        size, body = leb128(data, i + 1)
        i = body + size
        if section_id != 0:
            out += data[start:i]
    return bytes(out)


for path in sys.argv[1:]:
    with open(path, "rb") as f:
        data = f.read()
    with open(path, "wb") as f:
        f.write(strip(data))
