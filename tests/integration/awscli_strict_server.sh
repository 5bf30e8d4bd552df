#!/usr/bin/env bash
# Proves strict-s3-server right by driving it with an independent client: aws cli v2 (/usr/bin/aws),
# plus curl's own SigV4 signer for the payload-digest checks aws cli cannot provoke.
# usage: awscli_strict_server.sh path/to/strict-s3-server
set -euo pipefail

SERVER_BIN=${1:?usage: awscli_strict_server.sh path/to/strict-s3-server}
AWS=/usr/bin/aws # a pyenv aws v1 shim may precede Debian's on PATH
KEY=AKIAKEYSTONETEST
SECRET=keystone-strict-secret
BUCKET=keystone-test
MiB=$((1024 * 1024))

WORK=$(mktemp -d)
SERVER_PID=
cleanup() {
    if [[ -n $SERVER_PID ]]; then
        kill -TERM "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
    fi
    rm -rf "$WORK"
}
trap cleanup EXIT

CHECKS=0
fail() {
    echo "FAIL: $*" >&2
    echo "--- server stderr ---" >&2
    cat "$WORK/server.err" >&2 || true
    exit 1
}
pass() {
    CHECKS=$((CHECKS + 1))
    echo "ok $CHECKS - $*"
}

# Isolated aws configuration; plain http on loopback must not depend on CA bundle settings.
unset AWS_CA_BUNDLE CURL_CA_BUNDLE REQUESTS_CA_BUNDLE SSL_CERT_FILE SSL_CERT_DIR
unset AWS_PROFILE AWS_DEFAULT_PROFILE AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN AWS_ENDPOINT_URL
export AWS_CONFIG_FILE=$WORK/aws-config AWS_SHARED_CREDENTIALS_FILE=$WORK/aws-credentials
export AWS_PAGER="" AWS_EC2_METADATA_DISABLED=true AWS_DEFAULT_REGION=us-east-1
cat >"$AWS_CONFIG_FILE" <<CONF
[default]
region = us-east-1
output = json
s3 =
    addressing_style = path
    multipart_threshold = 5MB
    multipart_chunksize = 5MB
CONF
cat >"$AWS_SHARED_CREDENTIALS_FILE" <<CONF
[default]
aws_access_key_id = $KEY
aws_secret_access_key = $SECRET
CONF

# --- start the server on a free port --------------------------------------------------------------
"$SERVER_BIN" --root "$WORK/root" --port 0 >"$WORK/server.out" 2>"$WORK/server.err" &
SERVER_PID=$!
line=
for _ in $(seq 100); do
    line=$(head -n1 "$WORK/server.out" 2>/dev/null || true)
    [[ $line == "listening on http://127.0.0.1:"* ]] && break
    sleep 0.1
done
[[ $line == "listening on http://127.0.0.1:"* ]] || fail "server did not report its port (got '$line')"
PORT=${line##*:}
ENDPOINT=http://127.0.0.1:$PORT
echo "server pid $SERVER_PID at $ENDPOINT"

aws() { "$AWS" --endpoint-url "$ENDPOINT" "$@"; }
s3api() { aws s3api "$@"; }
json() { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }

# expect_error CODE command...: the command must fail and name CODE on stderr.
expect_error() {
    local code=$1
    shift
    if "$@" >"$WORK/expect.out" 2>"$WORK/expect.err"; then
        fail "expected $code but '$*' succeeded: $(cat "$WORK/expect.out")"
    fi
    grep -q "$code" "$WORK/expect.err" || fail "expected $code from '$*', got: $(cat "$WORK/expect.err")"
}

# ETag of a multipart upload, computed independently: md5 of the concatenated binary part MD5s, "-N".
multipart_etag() { # file chunk_bytes
    rm -rf "$WORK/split" && mkdir "$WORK/split"
    split -b "$2" -a 4 "$1" "$WORK/split/p."
    local n
    n=$(find "$WORK/split" -type f | wc -l)
    echo "$(for f in "$WORK"/split/p.*; do md5sum "$f" | cut -c1-32; done | xxd -r -p | md5sum | cut -c1-32)-$n"
}

head -c 1000 /dev/urandom >"$WORK/small.bin"
head -c $((17 * MiB)) /dev/urandom >"$WORK/big.bin"

# --- buckets ----------------------------------------------------------------------------------------
s3api create-bucket --bucket "$BUCKET" >/dev/null
s3api head-bucket --bucket "$BUCKET"
pass "create-bucket + head-bucket"
expect_error "404" s3api head-bucket --bucket no-such-bucket
expect_error NoSuchBucket s3api list-objects-v2 --bucket no-such-bucket
pass "missing bucket: HeadBucket 404, NoSuchBucket"

# --- PutObject / multipart via aws s3 cp --------------------------------------------------------------
aws s3 cp --only-show-errors "$WORK/small.bin" "s3://$BUCKET/small.bin"
etag=$(s3api head-object --bucket "$BUCKET" --key small.bin | json 'd["ETag"]')
[[ $etag == "\"$(md5sum <"$WORK/small.bin" | cut -c1-32)\"" ]] || fail "small ETag $etag"
pass "aws s3 cp small file (PutObject), ETag = MD5"

aws s3 cp --only-show-errors "$WORK/big.bin" "s3://$BUCKET/dir/big.bin"
etag=$(s3api head-object --bucket "$BUCKET" --key dir/big.bin | json 'd["ETag"]')
expected=$(multipart_etag "$WORK/big.bin" $((5 * MiB)))
[[ $etag == *-4\" ]] || fail "17 MiB upload ETag $etag does not end in -4"
[[ $etag == "\"$expected\"" ]] || fail "multipart ETag $etag != independently computed \"$expected\""
size=$(s3api head-object --bucket "$BUCKET" --key dir/big.bin | json 'd["ContentLength"]')
[[ $size == $((17 * MiB)) ]] || fail "size $size"
pass "aws s3 cp 17 MiB (multipart, 4 parts), ETag md5-of-md5s-4 = $etag"

aws s3 cp --only-show-errors "s3://$BUCKET/small.bin" "$WORK/small.back"
aws s3 cp --only-show-errors "s3://$BUCKET/dir/big.bin" "$WORK/big.back"
cmp "$WORK/small.bin" "$WORK/small.back" || fail "small download differs"
cmp "$WORK/big.bin" "$WORK/big.back" || fail "big download differs"
pass "downloads (ranged GETs for the big one) match byte for byte"

s3api get-object --bucket "$BUCKET" --key dir/big.bin --range bytes=100-199 "$WORK/range.out" >"$WORK/range.json"
cmp <(tail -c +101 "$WORK/big.bin" | head -c 100) "$WORK/range.out" || fail "range content"
grep -q '"ContentRange": "bytes 100-199/17825792"' "$WORK/range.json" || fail "Content-Range: $(cat "$WORK/range.json")"
pass "GetObject Range bytes=100-199 -> 206 with Content-Range"

weird="dir/my file ü € +&=.txt"
aws s3 cp --only-show-errors "$WORK/small.bin" "s3://$BUCKET/$weird"
aws s3 cp --only-show-errors "s3://$BUCKET/$weird" "$WORK/weird.back"
cmp "$WORK/small.bin" "$WORK/weird.back" || fail "weird key download differs"
aws s3 ls "s3://$BUCKET/dir/" >"$WORK/ls.out"
grep -q "my file ü € +&=.txt" "$WORK/ls.out" || fail "aws s3 ls misses the weird key: $(cat "$WORK/ls.out")"
grep -q "big.bin" "$WORK/ls.out" || fail "aws s3 ls misses big.bin"
pass "key with spaces/UTF-8/+&=: upload, download, aws s3 ls (ListObjectsV2, url encoding)"

expect_error NoSuchKey s3api get-object --bucket "$BUCKET" --key nope "$WORK/nope"
s3api delete-object --bucket "$BUCKET" --key small.bin
expect_error "404" s3api head-object --bucket "$BUCKET" --key small.bin
pass "NoSuchKey; DeleteObject then HeadObject 404"

# --- multipart by hand ----------------------------------------------------------------------------------
head -c $((5 * MiB)) /dev/urandom >"$WORK/p1"
head -c $((5 * MiB)) /dev/urandom >"$WORK/p2"
head -c $((1 * MiB)) /dev/urandom >"$WORK/p3"
uid=$(s3api create-multipart-upload --bucket "$BUCKET" --key manual.bin --query UploadId --output text)
[[ -n $uid ]] || fail "no UploadId"
e1=$(s3api upload-part --bucket "$BUCKET" --key manual.bin --upload-id "$uid" --part-number 1 --body "$WORK/p1" --query ETag --output text)
e2=$(s3api upload-part --bucket "$BUCKET" --key manual.bin --upload-id "$uid" --part-number 2 --body "$WORK/p2" --query ETag --output text)
e3=$(s3api upload-part --bucket "$BUCKET" --key manual.bin --upload-id "$uid" --part-number 3 --body "$WORK/p3" --query ETag --output text)
[[ $e1 == "\"$(md5sum <"$WORK/p1" | cut -c1-32)\"" ]] || fail "part 1 ETag $e1"
pass "create-multipart-upload + 3x upload-part (ETag = part MD5)"

expect_error InvalidArgument s3api upload-part --bucket "$BUCKET" --key manual.bin --upload-id "$uid" --part-number 10001 --body "$WORK/p3"
pass "part number 10001 -> InvalidArgument"

s3api list-parts --bucket "$BUCKET" --key manual.bin --upload-id "$uid" --max-parts 2 --no-paginate >"$WORK/lp1.json"
[[ $(json 'd["IsTruncated"]' <"$WORK/lp1.json") == True ]] || fail "page 1 not truncated: $(cat "$WORK/lp1.json")"
[[ $(json 'len(d["Parts"])' <"$WORK/lp1.json") == 2 ]] || fail "page 1 size"
next=$(json 'd["NextPartNumberMarker"]' <"$WORK/lp1.json")
[[ $next == 2 ]] || fail "NextPartNumberMarker $next"
s3api list-parts --bucket "$BUCKET" --key manual.bin --upload-id "$uid" --max-parts 2 --part-number-marker "$next" --no-paginate >"$WORK/lp2.json"
[[ $(json 'd["IsTruncated"]' <"$WORK/lp2.json") == False ]] || fail "page 2 truncated"
[[ $(json '[p["PartNumber"] for p in d["Parts"]]' <"$WORK/lp2.json") == "[3]" ]] || fail "page 2 parts: $(cat "$WORK/lp2.json")"
[[ $(json 'd["Parts"][0]["Size"]' <"$WORK/lp2.json") == $MiB ]] || fail "part 3 size"
pass "list-parts --max-parts 2: IsTruncated true, NextPartNumberMarker 2; next page has part 3"

p() { printf '{"PartNumber":%s,"ETag":"%s"}' "$1" "${2//\"/\\\"}"; }
complete() { # key upload-id parts...
    local key=$1 id=$2
    shift 2
    local IFS=,
    s3api complete-multipart-upload --bucket "$BUCKET" --key "$key" --upload-id "$id" \
        --multipart-upload "{\"Parts\":[$*]}"
}
expect_error InvalidPartOrder complete manual.bin "$uid" "$(p 2 "$e2")" "$(p 1 "$e1")" "$(p 3 "$e3")"
pass "complete with parts out of order -> InvalidPartOrder"
expect_error InvalidPart complete manual.bin "$uid" "$(p 1 "$e1")" "$(p 2 '"0123456789abcdef0123456789abcdef"')" "$(p 3 "$e3")"
expect_error InvalidPart complete manual.bin "$uid" "$(p 1 "$e1")" "$(p 2 "$e2")" "$(p 4 "$e3")"
pass "complete with an unknown ETag / a part never uploaded -> InvalidPart"

head -c 100000 /dev/urandom >"$WORK/tiny"
uid2=$(s3api create-multipart-upload --bucket "$BUCKET" --key tiny.bin --query UploadId --output text)
t1=$(s3api upload-part --bucket "$BUCKET" --key tiny.bin --upload-id "$uid2" --part-number 1 --body "$WORK/tiny" --query ETag --output text)
t2=$(s3api upload-part --bucket "$BUCKET" --key tiny.bin --upload-id "$uid2" --part-number 2 --body "$WORK/tiny" --query ETag --output text)
expect_error EntityTooSmall complete tiny.bin "$uid2" "$(p 1 "$t1")" "$(p 2 "$t2")"
pass "complete with a 100 kB non-last part -> EntityTooSmall"

s3api list-multipart-uploads --bucket "$BUCKET" >"$WORK/lmu.json"
grep -q "$uid2" "$WORK/lmu.json" || fail "list-multipart-uploads misses $uid2"
grep -q "$uid" "$WORK/lmu.json" || fail "list-multipart-uploads misses $uid"
s3api abort-multipart-upload --bucket "$BUCKET" --key tiny.bin --upload-id "$uid2"
expect_error NoSuchUpload s3api list-parts --bucket "$BUCKET" --key tiny.bin --upload-id "$uid2"
expect_error NoSuchUpload s3api abort-multipart-upload --bucket "$BUCKET" --key tiny.bin --upload-id "$uid2"
s3api list-multipart-uploads --bucket "$BUCKET" >"$WORK/lmu.json"
grep -q "$uid2" "$WORK/lmu.json" && fail "aborted upload still listed"
pass "list-multipart-uploads shows uploads; abort -> list-parts NoSuchUpload, no longer listed"

result=$(complete manual.bin "$uid" "$(p 1 "$e1")" "$(p 2 "$e2")" "$(p 3 "$e3")")
cat "$WORK/p1" "$WORK/p2" "$WORK/p3" >"$WORK/manual.expected"
expected=$(multipart_etag "$WORK/manual.expected" $((5 * MiB)))
[[ $(echo "$result" | json 'd["ETag"]') == "\"$expected\"" ]] || fail "complete ETag: $result (want $expected)"
s3api get-object --bucket "$BUCKET" --key manual.bin "$WORK/manual.back" >/dev/null
cmp "$WORK/manual.expected" "$WORK/manual.back" || fail "completed object differs"
expect_error NoSuchUpload s3api upload-part --bucket "$BUCKET" --key manual.bin --upload-id "$uid" --part-number 1 --body "$WORK/p3"
[[ $(curl -sf "$ENDPOINT/__keystone/stats" | json 'd["uploads_in_progress"]') == 0 ]] || fail "uploads_in_progress"
pass "complete 1,2,3 -> ETag md5-of-md5s-3, object = concatenation; upload gone afterwards"

# --- authentication ----------------------------------------------------------------------------------
expect_error SignatureDoesNotMatch env AWS_ACCESS_KEY_ID=$KEY AWS_SECRET_ACCESS_KEY=wrong-secret \
    "$AWS" --endpoint-url "$ENDPOINT" s3api list-objects-v2 --bucket "$BUCKET"
expect_error SignatureDoesNotMatch env AWS_ACCESS_KEY_ID=$KEY AWS_SECRET_ACCESS_KEY=wrong-secret \
    "$AWS" --endpoint-url "$ENDPOINT" s3api put-object --bucket "$BUCKET" --key x --body "$WORK/small.bin"
pass "wrong secret -> SignatureDoesNotMatch"
expect_error InvalidAccessKeyId env AWS_ACCESS_KEY_ID=AKIAUNKNOWN AWS_SECRET_ACCESS_KEY=$SECRET \
    "$AWS" --endpoint-url "$ENDPOINT" s3api list-objects-v2 --bucket "$BUCKET"
pass "unknown key id -> InvalidAccessKeyId"
code=$(curl -s -o "$WORK/anon.xml" -w '%{http_code}' "$ENDPOINT/$BUCKET?list-type=2")
[[ $code == 403 ]] && grep -q '<Code>AccessDenied</Code>' "$WORK/anon.xml" || fail "anonymous request: $code"
grep -q '<RequestId>' "$WORK/anon.xml" || fail "no RequestId in error body"
pass "no Authorization -> 403 AccessDenied with S3 XML error body"

# --- payload digests, with curl's own SigV4 signer as a second client --------------------------------
signed_curl() { curl -s --aws-sigv4 "aws:amz:us-east-1:s3" --user "$KEY:$SECRET" "$@"; }
sha_small=$(sha256sum <"$WORK/small.bin" | cut -c1-64)
code=$(signed_curl -o "$WORK/c.xml" -w '%{http_code}' -T "$WORK/small.bin" -H "x-amz-content-sha256: $sha_small" \
    "$ENDPOINT/$BUCKET/curl.bin")
[[ $code == 200 ]] || fail "curl signed PUT: $code $(cat "$WORK/c.xml")"
code=$(signed_curl -o "$WORK/c.xml" -w '%{http_code}' -T "$WORK/small.bin" \
    -H "x-amz-content-sha256: $(echo other | sha256sum | cut -c1-64)" "$ENDPOINT/$BUCKET/curl.bin")
[[ $code == 400 ]] && grep -q XAmzContentSHA256Mismatch "$WORK/c.xml" || fail "sha mismatch: $code $(cat "$WORK/c.xml")"
code=$(signed_curl -o "$WORK/c.xml" -w '%{http_code}' -T "$WORK/small.bin" -H "x-amz-content-sha256: UNSIGNED-PAYLOAD" \
    -H "Content-MD5: $(echo other | md5sum | xxd -r -p | base64)" "$ENDPOINT/$BUCKET/curl.bin")
[[ $code == 400 ]] && grep -q BadDigest "$WORK/c.xml" || fail "Content-MD5 mismatch: $code $(cat "$WORK/c.xml")"
code=$(signed_curl -o "$WORK/c.xml" -w '%{http_code}' -T "$WORK/small.bin" -H "Transfer-Encoding: chunked" \
    -H "x-amz-content-sha256: UNSIGNED-PAYLOAD" "$ENDPOINT/$BUCKET/curl.bin")
[[ $code == 501 ]] && grep -q NotImplemented "$WORK/c.xml" || fail "chunked upload: $code $(cat "$WORK/c.xml")"
code=$(signed_curl -o "$WORK/c.xml" -w '%{http_code}' -T "$WORK/small.bin" \
    -H "x-amz-content-sha256: STREAMING-AWS4-HMAC-SHA256-PAYLOAD" "$ENDPOINT/$BUCKET/curl.bin")
[[ $code == 501 ]] && grep -q NotImplemented "$WORK/c.xml" || fail "aws-chunked upload: $code $(cat "$WORK/c.xml")"
pass "curl SigV4: signed PUT ok; XAmzContentSHA256Mismatch, BadDigest, chunked/aws-chunked -> 501"

# --- fault injection -------------------------------------------------------------------------------
before=$(curl -sf "$ENDPOINT/__keystone/stats" | json 'd["requests"].get("PutObject", 0)')
fault=$(curl -sf -X POST "$ENDPOINT/__keystone/faults" \
    -d '{"op":"PutObject","action":"status","status":503,"code":"SlowDown","times":1}')
[[ $(echo "$fault" | json 'd["id"]') -ge 1 ]] || fail "fault id: $fault"
aws s3 cp --only-show-errors "$WORK/small.bin" "s3://$BUCKET/retried.bin"
stats=$(curl -sf "$ENDPOINT/__keystone/stats")
[[ $(echo "$stats" | json 'd["faults_fired"]') == 1 ]] || fail "faults_fired: $stats"
[[ $(echo "$stats" | json 'd["requests"]["PutObject"]') == $((before + 2)) ]] || fail "no retry seen: $stats"
s3api head-object --bucket "$BUCKET" --key retried.bin >/dev/null
pass "503 SlowDown fault on PutObject: aws retried it, faults_fired 1 ($(echo "$stats" | json 'd["connections"]') connections)"

curl -sf -X POST "$ENDPOINT/__keystone/faults" -d '{"op":"GetObject","action":"status","status":500,"code":"InternalError","times":-1}' >/dev/null
curl -sf -X DELETE "$ENDPOINT/__keystone/faults" >/dev/null
s3api get-object --bucket "$BUCKET" --key retried.bin "$WORK/r.back" >/dev/null
pass "DELETE /__keystone/faults clears a forever fault"

# --- shutdown ----------------------------------------------------------------------------------------
kill -TERM "$SERVER_PID"
wait "$SERVER_PID" || fail "server exited with status $? on SIGTERM"
SERVER_PID=
pass "SIGTERM -> clean exit 0"

echo "awscli_strict_server: all $CHECKS checks passed"
