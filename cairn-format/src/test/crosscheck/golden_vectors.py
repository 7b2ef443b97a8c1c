#!/usr/bin/env python3
"""Independent re-implementation of Cairn's golden vectors (cairn-format tests).

Rebuilds every pinned byte string from the written layout with a second implementation:
OpenSSL's AES-GCM and X25519 (via pyca/cryptography), Python's hmac/hashlib, and a hand-written
RFC 9180 HPKE key schedule and CRC-32C, each first checked against its published test vector
(RFC 9180 A.1.1, GCM test case 16, CRC-32C check value). The expected values are read from the
Java test sources, so there is one source of truth.

    python3 cairn-format/src/test/crosscheck/golden_vectors.py

Needs Python 3.9+ and the "cryptography" package. Argon2id is not in the standard library: the
key slot's key-encryption key is taken as a constant (Java's Kdf, which KdfTest checks against
libargon2's reference vectors).
"""
import pathlib
import re
import hashlib
import hmac
import struct
import sys
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives import serialization as ser

def seq(s, n): return bytes((s + i) & 0xff for i in range(n))
H = bytes.fromhex
def raw(pk): return pk.public_bytes(ser.Encoding.Raw, ser.PublicFormat.Raw)

# --- CRC-32C (Castagnoli, reflected 0x82F63B78)
T = []
for i in range(256):
    c = i
    for _ in range(8): c = (c >> 1) ^ 0x82F63B78 if c & 1 else c >> 1
    T.append(c)
def crc32c(b):
    c = 0xffffffff
    for x in b: c = T[(c ^ x) & 0xff] ^ (c >> 8)
    return c ^ 0xffffffff
assert crc32c(b"123456789") == 0xE3069283
def finish(b): return b + struct.pack(">I", crc32c(b))

def varint(v):
    v &= (1 << 64) - 1
    out = bytearray()
    while v >= 0x80: out.append((v & 0x7f) | 0x80); v >>= 7
    out.append(v); return bytes(out)
def svarint(v): return varint((v << 1) ^ (v >> 63))
def lp(b): return varint(len(b)) + b
def u8(v): return bytes([v])
def u16(v): return struct.pack(">H", v)
def u32(v): return struct.pack(">I", v)
def u64(v): return struct.pack(">Q", v & ((1 << 64) - 1))

# --- HPKE (RFC 9180) base mode, DHKEM(X25519, HKDF-SHA256), HKDF-SHA256
def extract(salt, ikm): return hmac.new(salt, ikm, hashlib.sha256).digest()
def expand(prk, info, L):
    out, t, i = b"", b"", 1
    while len(out) < L:
        t = hmac.new(prk, t + info + bytes([i]), hashlib.sha256).digest(); out += t; i += 1
    return out[:L]
def lextract(sid, salt, label, ikm): return extract(salt, b"HPKE-v1" + sid + label + ikm)
def lexpand(sid, prk, label, info, L): return expand(prk, u16(L) + b"HPKE-v1" + sid + label + info, L)
KEM_SID = b"KEM" + u16(0x20)
def derive_keypair(ikm):
    prk = lextract(KEM_SID, b"", b"dkp_prk", ikm)
    sk = lexpand(KEM_SID, prk, b"sk", b"", 32)
    return sk, raw(X25519PrivateKey.from_private_bytes(sk).public_key())
def seal(pkR, info, aad, pt, ikmE, aead_id, nk):
    skE, pkE = derive_keypair(ikmE)
    dh = X25519PrivateKey.from_private_bytes(skE).exchange(X25519PublicKey.from_public_bytes(pkR))
    prk = lextract(KEM_SID, b"", b"eae_prk", dh)
    ss = lexpand(KEM_SID, prk, b"shared_secret", pkE + pkR, 32)
    sid = b"HPKE" + u16(0x20) + u16(1) + u16(aead_id)
    ctx = u8(0) + lextract(sid, b"", b"psk_id_hash", b"") + lextract(sid, b"", b"info_hash", info)
    secret = lextract(sid, ss, b"secret", b"")
    key = lexpand(sid, secret, b"key", ctx, nk)
    nonce = lexpand(sid, secret, b"base_nonce", ctx, 12)
    return pkE + AESGCM(key).encrypt(nonce, pt, aad)

# Validate this HPKE code against RFC 9180 A.1.1 (AES-128-GCM, sequence 0).
skR, pkR = derive_keypair(H("6db9df30aa07dd42ee5e8181afdb977e538f5e1fec8a06223f33f7013e525037"))
assert skR.hex() == "4612c550263fc8ad58375df3f557aac531d26850903e55a9f23f21d8534e8ac8"
assert pkR.hex() == "3948cfe0ad1ddb695d780e59077195da6c56506b027329794ab02bca80815c4d"
s = seal(pkR, H("4f6465206f6e2061204772656369616e2055726e"), b"Count-0",
         H("4265617574792069732074727574682c20747275746820626561757479"),
         H("7268600d403fce431561aef583ee1613527cff655c1343f29812e66706df3234"), 1, 16)
assert s[:32].hex() == "37fda3567bdbd628e88668c3c8d7e97d1d1253b6d4ea6d44c150f741f1bf4431"
assert s[32:].hex() == "f938558b5d72f1a23810b4be2ab4f84331acc02fc97babc53a52ae8218a355a96d8770ac83d07bea87e13c512a"
print("ok   RFC 9180 A.1.1 reproduced by this HPKE code")

# AES-GCM: McGrew-Viega test case 16 through OpenSSL
k16 = H("feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308")
c16 = AESGCM(k16).encrypt(H("cafebabefacedbaddecaf888"),
    H("d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39"),
    H("feedfacedeadbeeffeedfacedeadbeefabaddad2"))
assert c16.hex() == "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662" + "76fc6ece0f4e1768cddf8853bb2d551b"

print("ok   GCM test case 16 reproduced by OpenSSL")

TESTS = pathlib.Path(__file__).resolve().parent.parent / "java" / "dev" / "cairn" / "format"


def java_constant(path, name):
    text = (TESTS / path).read_text()
    m = re.search(r"static final String " + name + r"\s*=\s*((?:\s*\+?\s*\"[0-9a-f]*\")+)\s*;", text)
    if not m:
        sys.exit("constant %s not found in %s" % (name, path))
    return "".join(re.findall(r'"([0-9a-f]*)"', m.group(1)))


failures = 0


def check(what, path, name, got):
    global failures
    want = java_constant(path, name)
    ok = got.hex() == want
    failures += not ok
    print(("ok   " if ok else "FAIL ") + what + "  (" + path + " " + name + ")")
    if not ok:
        print("     python", got.hex())
        print("     java  ", want)


def aead(key, nonce, pt, aad):
    return nonce + AESGCM(key).encrypt(nonce, pt, aad)


def idb(fill):
    return bytes([fill]) * 32


check("AES-256-GCM", "crypto/AeadTest.java", "GOLDEN",
      aead(seq(0, 32), seq(0, 12), b"cairn golden vector", b"aad"))

priv = seq(0x20, 32)
pub = raw(X25519PrivateKey.from_private_bytes(priv).public_key())
check("X25519 public key", "crypto/HpkeTest.java", "PUBLIC_KEY", pub)
check("HPKE", "crypto/HpkeTest.java", "GOLDEN",
      seal(pub, b"cairn golden info", b"aad", b"cairn golden vector", seq(0x80, 32), 2, 32))
check("HPKE, no AAD", "crypto/HpkeTest.java", "GOLDEN_NO_AAD",
      seal(pub, b"cairn golden info", b"", b"cairn golden vector", seq(0x80, 32), 2, 32))
try:
    from cryptography.hazmat.primitives import hpke
    suite = hpke.Suite(hpke.KEM.X25519, hpke.KDF.HKDF_SHA256, hpke.AEAD.AES_256_GCM)
    opened = suite.decrypt(bytes.fromhex(java_constant("crypto/HpkeTest.java", "GOLDEN_NO_AAD")),
                           X25519PrivateKey.from_private_bytes(priv), info=b"cairn golden info")
    assert opened == b"cairn golden vector"
    print("ok   HPKE, no AAD, opened by pyca/cryptography's own HPKE")
except ImportError:
    print("skip pyca/cryptography has no hpke module (needs 47+)")

check("HMAC-SHA-256", "crypto/BlobIdsTest.java", "GOLDEN_ABC", hmac.new(seq(0, 32), b"abc", hashlib.sha256).digest())
check("keyed hash", "crypto/BlobIdsTest.java", "GOLDEN_KEYED",
      hmac.new(seq(0, 32), b"group\0abc", hashlib.sha256).digest())

check("config", "config/ConfigTest.java", "GOLDEN",
      finish(b"CRNC" + u16(1) + u16(0) + seq(0, 16) + varint(512 << 10) + varint(1 << 20) + varint(8 << 20)
             + u64(1700000000000)))


def node(t, name, mode, uid, gid, user, group, mt, ct, ino, dev, links, size, extra, xattrs, changed):
    b = u8(t) + lp(name) + varint(mode) + svarint(uid) + svarint(gid) + lp(user.encode()) + lp(group.encode())
    b += svarint(mt[0]) + varint(mt[1]) + svarint(ct[0]) + varint(ct[1])
    b += varint(ino) + varint(dev) + varint(links) + varint(size) + u8(1 if changed else 0) + extra
    b += varint(len(xattrs)) + b"".join(lp(n.encode()) + lp(v) for n, v in xattrs)
    return name, b


Z = (0, 0)
LMIN, LMAX = -(1 << 63), (1 << 63) - 1
nodes = [  # Fixtures.goldenTree()
    node(1, b"file.txt", 0o644, 1000, 1000, "alice", "staff", (1700000000, 123456789), (1700000001, 5), 42, 2049, 1,
         12, varint(2) + idb(0x11) + idb(0x22), [("user.comment", b"hi")], False),
    node(2, b"dir", 0o755, -1, -1, "", "", (-1, 999999999), Z, 43, 2049, 2, 0, idb(0x33),
         [("user.a", b""), ("user.b", bytes([0, 1, 2, 0xff]))], False),
    node(3, b"link", 0o777, 0, 0, "root", "root", (1, 2), (3, 4), 44, 2049, 1, 0, lp(b"../t\xfe"), [], False),
    node(4, b"fifo", 0o600, 5, 6, "u", "g", Z, Z, 45, 2049, 1, 0, b"", [], False),
    node(5, b"tty", 0o620, 0, 5, "root", "tty", Z, Z, 46, 5, 1, 0, varint(0x0501), [], False),
    node(6, b"sda", 0o660, 0, 6, "root", "disk", Z, Z, 47, 5, 1, 0, varint(0x0800), [], False),
    node(7, b"sock", 0o4755, 1000, 1000, "alice", "staff", Z, Z, 48, 2049, 1, 0, b"", [], False),
    node(1, b"f\xff", 0o400, -1, 1 << 20, "", "", (LMIN, 0), (LMAX, 999999999), (1 << 64) - 1, 0, 1, 1 << 40,
         varint(1) + idb(0x44), [("user.\u00e9t\u00e9", "\u00e9".encode())], True),
]
nodes.sort(key=lambda n: n[0])  # unsigned byte order
tree = u8(1) + varint(len(nodes)) + b"".join(b for _, b in nodes)
check("tree", "tree/TreeTest.java", "GOLDEN", tree)
check("tree id", "tree/TreeTest.java", "GOLDEN_ID", hmac.new(seq(0, 32), tree, hashlib.sha256).digest())

# Argon2id("correct horse", salt 0xf0..0xff, m=8 KiB, t=1, p=1), from Java's Kdf.
kek = bytes.fromhex("32d484b12c666c67270119df1846d016becf537c188bdcbb129280f1cc153222")
pubpart = (b"CRNK" + u16(1) + u16(0) + u8(1) + u8(1) + u32(8) + u32(1) + u8(1) + seq(0xf0, 16)
           + u64(1700000000000) + lp(b"alice@laptop"))
secret = u8(1) + seq(0xa0, 32) + seq(0, 32) + seq(0x40, 32) + seq(0xc0, 32) + pub + u8(1) + priv
check("key slot", "crypto/KeySlotTest.java", "GOLDEN", finish(pubpart + lp(aead(kek, seq(0x10, 12), secret, pubpart))))

ih = b"CRNI" + u16(1) + u16(0)
iplain = varint(1) + idb(0x0f) + varint(1) + idb(0x01) + varint(336) + varint(2)
iplain += u8(1) + idb(0x11) + varint(88) + varint(41) + varint(12)
iplain += u8(2) + idb(0x22) + varint(129) + varint(300) + varint(70000)
check("index file", "index/IndexFileTest.java", "GOLDEN", finish(ih + aead(seq(0x40, 32), seq(0x30, 12), iplain, ih)))

# Tree.of([Fixtures.node(FILE, "a")]).encode()
treeblob = u8(1) + varint(1) + u8(1) + lp(b"a") + varint(0o644) + svarint(1000) + svarint(1000) + lp(b"alice") \
    + lp(b"staff") + svarint(1700000000) + varint(0) + svarint(1700000000) + varint(0) + varint(7) + varint(2049) \
    + varint(1) + varint(0) + u8(0) + varint(0) + varint(0)
ph = b"CRNP" + u16(1) + u16(0)
datakey = seq(0x60, 32)
pack = ph + seal(pub, b"cairn pack key v1", ph, datakey, seq(0x80, 32), 2, 32)
entries = []
for t, plain, nonce in ((1, b"hello, cairn", seq(0xa0, 12)), (2, treeblob, seq(0xb0, 12))):
    bid = hmac.new(seq(0, 32), plain, hashlib.sha256).digest()
    sealed = aead(datakey, nonce, b"\0" + plain, u8(t) + bid)  # method byte 0: raw
    entries.append((t, bid, len(pack), len(sealed), len(plain)))
    pack += sealed
trailer = varint(len(entries)) + b"".join(u8(t) + i + varint(o) + varint(n) + varint(r) for t, i, o, n, r in entries)
st = aead(seq(0x40, 32), seq(0xc0, 12), trailer, b"cairn pack trailer v1")
pack = finish(pack + st + u32(len(st)))
check("pack", "pack/PackTest.java", "GOLDEN", pack)
check("pack name", "pack/PackTest.java", "GOLDEN_NAME", hashlib.sha256(pack).digest())

sh = b"CRNS" + u16(1) + u16(0)
env = sh + u64(1700000000000) + lp(b"host.example") + idb(0x55) + u8(2) + varint(2) + idb(0x01) + idb(0x02)
payload = idb(0x66) + varint(2) + lp(b"/home/alice") + lp(b"/h\xff") + lp(b"host.example") + lp(b"alice")
payload += varint(2) + lp(b"daily") + lp(b"laptop") + u8(1) + idb(0x77) + u64(1700000060000)
payload += b"".join(varint(i) for i in range(1, 9)) + varint(1) + lp(b"/home/alice/log") + varint(1) + lp(b"/\xfe")
check("snapshot", "snapshot/SnapshotFileTest.java", "GOLDEN",
      finish(env + lp(seal(pub, b"cairn snapshot v1", env, payload, seq(0x80, 32), 2, 32))))

sys.exit(1 if failures else 0)
