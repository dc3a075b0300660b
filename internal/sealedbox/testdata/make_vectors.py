#!/usr/bin/python3
"""Make libsodium_vectors.json: boxes sealed by real libsodium (crypto_box_seal via python3-nacl).

Run from internal/sealedbox (needs apt-get install python3-nacl):

    /usr/bin/python3 testdata/make_vectors.py > testdata/libsodium_vectors.json

The key pair is fixed, so the test can open the boxes; the boxes themselves change on every run, because
crypto_box_seal draws a fresh ephemeral key. Test key only: never use it for anything real.
"""
import base64
import hashlib
import json
import sys

from nacl.public import PrivateKey, SealedBox

PRIVATE_KEY = PrivateKey(hashlib.sha256(b"codespaces-org-secrets sealedbox test key").digest())


def b64(data):
    return base64.b64encode(data).decode("ascii")


def long_value():
    lines = (f"line {i:04d}: the quick brown fox jumps over the lazy dog %s ::add-mask::\n" for i in range(120))
    return "".join(lines).encode("utf-8")


VALUES = [
    ("empty", b""),
    ("one byte", b"x"),
    ("ascii token", b"ghp_0123456789abcdefghijklmnopqrstuvwxyz"),
    ("unicode", "pässwörd — 秘密 🔑".encode("utf-8")),
    ("multi-line with percent and colons", b"first line\nsecond: 100%\r\n::set-output name=x::y\n\n"),
    ("binary with zero bytes", bytes(range(256))),
    ("long value", long_value()),
]


def main():
    sealer = SealedBox(PRIVATE_KEY.public_key)
    vectors = [
        {"name": name, "plaintext": b64(value), "sealed": b64(sealer.encrypt(value))}
        for name, value in VALUES
    ]
    json.dump(
        {
            "comment": "made by testdata/make_vectors.py with libsodium crypto_box_seal; values are base64",
            "private_key": b64(bytes(PRIVATE_KEY)),
            "public_key": b64(bytes(PRIVATE_KEY.public_key)),
            "vectors": vectors,
        },
        sys.stdout,
        indent=2,
    )
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
