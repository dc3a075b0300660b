#!/usr/bin/python3
"""Open sealed boxes with real libsodium (python3-nacl), for sealedbox_test.go.

Reads JSON from stdin:  {"private_key": "<base64>", "boxes": ["<base64 sealed box>", ...]}
Writes JSON to stdout:  {"plaintexts": ["<base64 plaintext>", ...]}, in the same order.
Exits 3 when python3-nacl is missing, 1 when a box does not open.
"""
import base64
import json
import sys

try:
    from nacl.public import PrivateKey, SealedBox
except ImportError as err:
    sys.stderr.write(f"python3-nacl is missing ({err}): run apt-get install python3-nacl\n")
    sys.exit(3)


def main():
    request = json.load(sys.stdin)
    opener = SealedBox(PrivateKey(base64.b64decode(request["private_key"], validate=True)))
    plaintexts = []
    for i, sealed in enumerate(request["boxes"]):
        try:
            plaintext = opener.decrypt(base64.b64decode(sealed, validate=True))
        except Exception as err:  # report which box, never its content
            sys.stderr.write(f"box {i} does not open with libsodium: {type(err).__name__}: {err}\n")
            sys.exit(1)
        plaintexts.append(base64.b64encode(plaintext).decode("ascii"))
    json.dump({"plaintexts": plaintexts}, sys.stdout)


if __name__ == "__main__":
    main()
