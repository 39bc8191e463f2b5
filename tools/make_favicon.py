"""Write static/favicon.ico: the directory's two speech bubbles on its blue, 32 × 32 pixels.

Drawn in plain Python (no imaging library) from the shapes of static/img/favicon.svg, so the
icon can be made again after a change of colours: `python tools/make_favicon.py`.
"""

import struct
import zlib
from pathlib import Path

SIZE = 32
BLUE, WHITE, YELLOW = (0x0B, 0x5C, 0xAD, 255), (255, 255, 255, 255), (0xFF, 0xBF, 0x47, 255)
CLEAR = (0, 0, 0, 0)


def in_rounded(x, y, left, top, right, bottom, radius):
    cx = min(max(x, left + radius), right - radius)
    cy = min(max(y, top + radius), bottom - radius)
    return (x - cx) ** 2 + (y - cy) ** 2 <= radius ** 2


def pixel(x: float, y: float):
    if not in_rounded(x, y, 0, 0, 32, 32, 6):
        return CLEAR
    # The white bubble and its tail, down on the left.
    if in_rounded(x, y, 4, 8, 21, 18, 2) or (7 <= x <= 11 and 18 <= y <= 21 - (x - 7) * 0.75):
        return WHITE
    # The yellow answer, behind it on the right, its tail down on the right.
    if in_rounded(x, y, 13, 13, 28, 23, 2) and not in_rounded(x, y, 3, 7, 22, 19, 3):
        return YELLOW
    if 21 <= x <= 25 and 23 <= y <= 26 - (25 - x) * 0.75:
        return YELLOW
    return BLUE


def png(size: int) -> bytes:
    rows = b"".join(b"\0" + b"".join(bytes(pixel(x + 0.5, y + 0.5)) for x in range(size))
                    for y in range(size))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b""))


def ico(image: bytes) -> bytes:
    """An .ico holding one PNG image (every browser since 2008 reads them)."""
    return (struct.pack("<HHH", 0, 1, 1)
            + struct.pack("<BBBBHHII", SIZE, SIZE, 0, 0, 1, 32, len(image), 6 + 16) + image)


if __name__ == "__main__":
    target = Path(__file__).resolve().parents[1] / "static" / "favicon.ico"
    target.write_bytes(ico(png(SIZE)))
    print(f"{target}: {target.stat().st_size} bytes")
