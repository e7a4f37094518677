#!/usr/bin/python3
"""An implementation of cosign's key file and tag-scheme signature formats that shares nothing
with berth, written from cosign's specification, to judge berth's output and to sign as a peer.

  cosign_peer.py verify REGISTRY REPOSITORY TAG PUBLIC_KEY_FILE
  cosign_peer.py sign   REGISTRY REPOSITORY TAG PRIVATE_KEY_FILE   (password on stdin)

Plain HTTP, anonymous: for a test registry on 127.0.0.1 only.
"""
import base64, hashlib, json, sys, time, urllib.request

import nacl.secret
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec

SIMPLE_SIGNING = "application/vnd.dev.cosign.simplesigning.v1+json"
ANNOTATION = "dev.cosignproject.cosign/signature"
OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json"


def request(method, url, body=None, headers=None):
    req = urllib.request.Request(url, data=body, method=method, headers=headers or {})
    with urllib.request.urlopen(req, timeout=30) as response:
        return response.read(), response.headers


def manifest(base, repository, reference):
    accept = ", ".join([OCI_MANIFEST, "application/vnd.oci.image.index.v1+json",
                        "application/vnd.docker.distribution.manifest.v2+json"])
    body, _ = request("GET", f"{base}/v2/{repository}/manifests/{reference}", headers={"Accept": accept})
    return body, "sha256:" + hashlib.sha256(body).hexdigest()


def signature_tag(digest):
    return digest.replace(":", "-") + ".sig"


def exact_keys(obj, *names):
    if not isinstance(obj, dict) or set(obj) != set(names):
        raise ValueError(f"expected exactly {names}, got {obj!r}")


def verify(base, repository, tag, public_key_file):
    key = serialization.load_pem_public_key(open(public_key_file, "rb").read())
    _, digest = manifest(base, repository, tag)
    signatures, _ = manifest(base, repository, signature_tag(digest))
    for layer in json.loads(signatures)["layers"]:
        if layer["mediaType"] != SIMPLE_SIGNING:
            continue
        payload, _ = request("GET", f"{base}/v2/{repository}/blobs/{layer['digest']}")
        if "sha256:" + hashlib.sha256(payload).hexdigest() != layer["digest"]:
            continue
        try:
            key.verify(base64.b64decode(layer["annotations"][ANNOTATION]), payload, ec.ECDSA(hashes.SHA256()))
        except Exception:
            continue
        document = json.loads(payload)
        exact_keys(document, "critical", "optional")
        exact_keys(document["critical"], "identity", "image", "type")
        exact_keys(document["critical"]["image"], "docker-manifest-digest")
        exact_keys(document["critical"]["identity"], "docker-reference")
        if document["critical"]["type"] != "cosign container image signature":
            continue
        if document["critical"]["image"]["docker-manifest-digest"] == digest:
            print(f"verified {repository}@{digest} signed as {document['critical']['identity']['docker-reference']}")
            return 0
    print(f"no valid signature for {repository}@{digest}", file=sys.stderr)
    return 1


def open_private_key(path, password):
    pem = open(path, "rb").read().decode("ascii").strip().splitlines()
    if pem[0] != "-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----":
        raise ValueError("not a sigstore encrypted key: " + pem[0])
    sealed = json.loads(base64.b64decode("".join(pem[1:-1])))
    kdf, cipher = sealed["kdf"], sealed["cipher"]
    assert kdf["name"] == "scrypt" and cipher["name"] == "nacl/secretbox"
    params = kdf["params"]
    box_key = hashlib.scrypt(password, salt=base64.b64decode(kdf["salt"]), n=params["N"], r=params["r"],
                             p=params["p"], maxmem=256 * 1024 * 1024, dklen=32)
    pkcs8 = nacl.secret.SecretBox(box_key).decrypt(base64.b64decode(sealed["ciphertext"]),
                                                   base64.b64decode(cipher["nonce"]))
    return serialization.load_der_private_key(pkcs8, password=None)


def push_blob(base, repository, content):
    digest = "sha256:" + hashlib.sha256(content).hexdigest()
    _, headers = request("POST", f"{base}/v2/{repository}/blobs/uploads/", b"")
    location = headers["Location"]
    if location.startswith("/"):
        location = base + location
    separator = "&" if "?" in location else "?"
    request("PUT", f"{location}{separator}digest={digest}", content, {"Content-Type": "application/octet-stream"})
    return {"mediaType": "", "digest": digest, "size": len(content)}


def sign(base, registry, repository, tag, private_key_file, password, extra_field=False):
    key = open_private_key(private_key_file, password)
    _, digest = manifest(base, repository, tag)
    critical = {"identity": {"docker-reference": f"{registry}/{repository}"},
                "image": {"docker-manifest-digest": digest},
                "type": "cosign container image signature"}
    if extra_field:
        # validly signed, but the specification allows no other field in "critical"
        critical["extra"] = "not in the specification"
    payload = json.dumps({"critical": critical,
                          "optional": {"creator": "cosign_peer.py", "timestamp": int(time.time())}}).encode()
    signature = base64.b64encode(key.sign(payload, ec.ECDSA(hashes.SHA256()))).decode()
    layer = push_blob(base, repository, payload)
    layer.update(mediaType=SIMPLE_SIGNING, annotations={ANNOTATION: signature})
    config = json.dumps({"architecture": "", "os": "", "config": {},
                         "rootfs": {"type": "layers", "diff_ids": [layer["digest"]]}}).encode()
    config_descriptor = push_blob(base, repository, config)
    config_descriptor["mediaType"] = "application/vnd.oci.image.config.v1+json"
    body = json.dumps({"schemaVersion": 2, "mediaType": OCI_MANIFEST, "config": config_descriptor,
                       "layers": [layer]}).encode()
    request("PUT", f"{base}/v2/{repository}/manifests/{signature_tag(digest)}", body, {"Content-Type": OCI_MANIFEST})
    print(f"signed {repository}@{digest}")
    return 0


def main(argv):
    command, registry, repository, tag, key_file = argv[1:6]
    base = f"http://{registry}"
    if command == "verify":
        return verify(base, repository, tag, key_file)
    if command in ("sign", "sign-with-extra-field"):
        return sign(base, registry, repository, tag, key_file, sys.stdin.readline().rstrip("\n").encode(),
                    extra_field=command == "sign-with-extra-field")
    raise SystemExit("unknown command " + command)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
