#!/usr/bin/env node
// Independent proof of strict-s3-server's oss dialect: Alibaba's own Node SDK (ali-oss, pinned in tests/ossclient)
// talks to `strict-s3-server --dialect oss` over real sockets on 127.0.0.1, with V4 and V1 signatures.
// Usage: node alioss_strict_server.js /path/to/strict-s3-server
'use strict';

const assert = require('node:assert/strict');
const { spawn } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');
const readline = require('node:readline');

const OSS = require(path.join(__dirname, '..', 'ossclient', 'node_modules', 'ali-oss'));

const serverBinary = process.argv[2];
const BUCKET = 'keystone-test';
const ACCESS_KEY = 'AKIAKEYSTONETEST';
const SECRET_KEY = 'keystone-strict-secret';
const STS_TOKEN = 'keystone-sts-token';

let testNumber = 0;
async function check(description, body) {
    testNumber += 1;
    try {
        await body();
        console.log(`ok ${testNumber} - ${description}`);
    } catch (err) {
        console.log(`not ok ${testNumber} - ${description}`);
        console.log(err && err.stack ? err.stack : err);
        process.exitCode = 1;
        throw err;
    }
}

// CRC-64/ECMA as OSS computes it (reflected ECMA-182, init and xorout all ones), bit by bit: independent of the
// table-driven C++ implementation the server uses.
const CRC_POLY = 0xc96c5795d7870f42n;
const CRC_MASK = (1n << 64n) - 1n;
function crc64(bytes) {
    let crc = CRC_MASK;
    for (const byte of bytes) {
        crc ^= BigInt(byte);
        for (let bit = 0; bit < 8; bit += 1)
            crc = crc & 1n ? (crc >> 1n) ^ CRC_POLY : crc >> 1n;
    }
    return (crc ^ CRC_MASK).toString();
}

// Node cannot resolve bucket.localhost by itself; every name goes to the loopback server.
function loopbackAgent() {
    return new http.Agent({
        keepAlive: true,
        lookup: (host, opts, cb) =>
            opts && opts.all ? cb(null, [{ address: '127.0.0.1', family: 4 }]) : cb(null, '127.0.0.1', 4),
    });
}

function startServer(extraArgs) {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'alioss-strict-'));
    const child = spawn(serverBinary, ['--root', root, '--dialect', 'oss', '--bucket', BUCKET, ...extraArgs], {
        stdio: ['ignore', 'pipe', 'inherit'],
    });
    return new Promise((resolve, reject) => {
        const lines = readline.createInterface({ input: child.stdout });
        lines.on('line', line => {
            const match = /^listening on http:\/\/127\.0\.0\.1:(\d+)$/.exec(line);
            if (match)
                resolve({ child, root, port: Number(match[1]) });
        });
        child.on('exit', code => reject(new Error(`strict-s3-server exited early (${code})`)));
    });
}

function stopServer(server) {
    return new Promise(resolve => {
        server.child.removeAllListeners('exit');
        server.child.on('exit', () => {
            fs.rmSync(server.root, { recursive: true, force: true });
            resolve();
        });
        server.child.kill('SIGTERM');
    });
}

function client(port, options = {}) {
    return new OSS({
        accessKeyId: ACCESS_KEY,
        accessKeySecret: SECRET_KEY,
        bucket: BUCKET,
        region: 'oss-cn-hangzhou',
        endpoint: `http://localhost:${port}`,
        secure: false,
        agent: loopbackAgent(),
        ...options,
    });
}

// A plain HTTP exchange with the server on 127.0.0.1 (control API, hand-made requests).
function rawRequest(port, method, requestPath, headers = {}, body = '') {
    return new Promise((resolve, reject) => {
        const req = http.request({ host: '127.0.0.1', port, method, path: requestPath, headers }, res => {
            let data = '';
            res.on('data', chunk => (data += chunk));
            res.on('end', () => resolve({ status: res.statusCode, body: data }));
        });
        req.on('error', reject);
        req.end(body);
    });
}

async function expectOssError(promise, code) {
    const err = await promise.then(
        () => null,
        e => e
    );
    assert.ok(err, `expected ${code}, the request succeeded`);
    assert.equal(err.code, code, `error code (message: ${err.message})`);
    assert.match(err.requestId || '', /^[0-9A-F]{16,}$/, 'request id');
    assert.match(err.ecCode || '', /^\d{4}-\d{8}$/, 'EC');
    return err;
}

async function exerciseClient(label, oss, bigFile, bigCrc) {
    const small = crypto.randomBytes(5000);
    const smallKey = `${label}/small object.bin`;
    await check(`${label}: put a small object`, async () => {
        const result = await oss.put(smallKey, small);
        assert.equal(result.res.status, 200);
        assert.match(result.res.headers.etag, /^"[0-9A-F]{32}"$/, 'ETag quoted, upper-case hex');
        assert.equal(result.res.headers['x-oss-hash-crc64ecma'], crc64(small));
        assert.match(result.res.headers['x-oss-request-id'], /^[0-9A-F]+$/);
    });
    await check(`${label}: head and get it back (bytes and CRC-64 equal)`, async () => {
        const head = await oss.head(smallKey);
        assert.equal(head.res.headers['content-length'], String(small.length));
        assert.equal(head.res.headers['x-oss-hash-crc64ecma'], crc64(small));
        const got = await oss.get(smallKey);
        assert.ok(Buffer.compare(got.content, small) === 0, 'body equal');
        assert.equal(got.res.headers['x-oss-hash-crc64ecma'], crc64(small));
    });
    await check(`${label}: multipartUpload of 1 MiB in 100 KiB parts, CRC-64 of the whole object`, async () => {
        const key = `${label}/big.bin`;
        const result = await oss.multipartUpload(key, bigFile, { partSize: 100 * 1024 });
        assert.equal(result.res.status, 200);
        assert.match(result.etag, /^"[0-9A-F]{32}-11"$/, "multipart ETag with 11 parts");
        assert.equal(result.res.headers['x-oss-hash-crc64ecma'], bigCrc);
        const head = await oss.head(key);
        assert.equal(head.res.headers['x-oss-hash-crc64ecma'], bigCrc);
        const got = await oss.get(key);
        assert.ok(Buffer.compare(got.content, fs.readFileSync(bigFile)) === 0, 'body equal');
    });
    await check(`${label}: listParts of an unfinished upload, then abort it`, async () => {
        const key = `${label}/unfinished.bin`;
        const { uploadId } = await oss.initMultipartUpload(key);
        const sizes = [100 * 1024, 100 * 1024, 7777];
        const etags = [];
        let start = 0;
        for (let i = 0; i < sizes.length; i += 1) {
            const part = await oss.uploadPart(key, uploadId, i + 1, bigFile, start, start + sizes[i]);
            etags.push(part.etag);
            start += sizes[i];
        }
        const listed = await oss.listParts(key, uploadId);
        assert.equal(listed.parts.length, 3);
        start = 0;
        listed.parts.forEach((part, i) => {
            assert.equal(Number(part.PartNumber), i + 1);
            assert.equal(Number(part.Size), sizes[i]);
            assert.equal(part.ETag, etags[i]);
            const bytes = fs.readFileSync(bigFile).subarray(start, start + sizes[i]);
            assert.equal(part.HashCrc64ecma, crc64(bytes));
            start += sizes[i];
        });
        await oss.abortMultipartUpload(key, uploadId);
        await expectOssError(oss.listParts(key, uploadId), 'NoSuchUpload');
    });
}

async function main() {
    assert.ok(serverBinary, 'usage: alioss_strict_server.js STRICT_S3_SERVER');
    await check('CRC-64/ECMA check value of "123456789" is 0x995DC9BBDF1939FA', async () => {
        assert.equal(crc64(Buffer.from('123456789')), 0x995dc9bbdf1939fan.toString());
    });

    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'alioss-data-'));
    const bigFile = path.join(scratch, 'big.bin');
    fs.writeFileSync(bigFile, crypto.randomBytes(1024 * 1024 + 4321));
    const bigCrc = crc64(fs.readFileSync(bigFile));

    let server = await startServer([]);
    try {
        await exerciseClient('v4', client(server.port, { authorizationV4: true }), bigFile, bigCrc);
        await exerciseClient('v1', client(server.port), bigFile, bigCrc);
        for (const v4 of [true, false]) {
            await check(`${v4 ? 'v4' : 'v1'}: a wrong secret gets SignatureDoesNotMatch with request id and EC`, async () => {
                const bad = client(server.port, { authorizationV4: v4, accessKeySecret: 'not-the-secret' });
                await expectOssError(bad.put('wrong-secret.bin', Buffer.from('x')), 'SignatureDoesNotMatch');
            });
        }
        await check('a path-style request gets 403 SecondLevelDomainForbidden', async () => {
            const signer = client(server.port, { authorizationV4: true });
            const headers = {
                'x-oss-date': new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z'),
                'x-oss-content-sha256': 'UNSIGNED-PAYLOAD',
            };
            headers.authorization = signer.authorizationV4('GET', { headers, queries: {} }, BUCKET, 'v4/big.bin');
            const { status, body } = await rawRequest(server.port, 'GET', `/${BUCKET}/v4/big.bin`, headers);
            assert.equal(status, 403);
            assert.match(body, /<Code>SecondLevelDomainForbidden<\/Code>/);
            assert.match(body, /Please use virtual hosted style to access\./);
        });
    } finally {
        await stopServer(server);
    }

    server = await startServer(['--security-token', STS_TOKEN, '--list-parts-page-size', '2']);
    try {
        for (const v4 of [true, false]) {
            const version = v4 ? 'v4' : 'v1';
            await check(`${version}: with --security-token an STS client succeeds, others are refused`, async () => {
                const sts = client(server.port, { authorizationV4: v4, stsToken: STS_TOKEN });
                const body = Buffer.from(`sts ${version}`);
                await sts.put(`sts-${version}.txt`, body);
                assert.ok(Buffer.compare((await sts.get(`sts-${version}.txt`)).content, body) === 0);
                const noToken = client(server.port, { authorizationV4: v4 });
                await expectOssError(noToken.get(`sts-${version}.txt`), 'InvalidAccessKeyId');
                const wrongToken = client(server.port, { authorizationV4: v4, stsToken: 'another-token' });
                await expectOssError(wrongToken.get(`sts-${version}.txt`), 'InvalidSecurityToken');
            });
        }
        await check('crc_mismatch fault: only the CRC-64 of part 2 is wrong; ListParts pages by 2', async () => {
            const sts = client(server.port, { authorizationV4: true, stsToken: STS_TOKEN });
            const fault = { op: 'UploadPart', action: 'crc_mismatch', part: 2, times: 1 };
            const added = await rawRequest(server.port, 'POST', '/__keystone/faults', {}, JSON.stringify(fault));
            assert.equal(added.status, 201, added.body);
            const key = 'crc/parts.bin';
            const data = fs.readFileSync(bigFile).subarray(0, 3 * 100 * 1024);
            const { uploadId } = await sts.initMultipartUpload(key);
            const crcs = [];
            for (let i = 0; i < 3; i += 1) {
                const bytes = data.subarray(i * 100 * 1024, (i + 1) * 100 * 1024);
                crcs.push(crc64(bytes));
                const part = await sts.uploadPart(key, uploadId, i + 1, bigFile, i * 100 * 1024, (i + 1) * 100 * 1024);
                const md5 = crypto.createHash('md5').update(bytes).digest('hex').toUpperCase();
                assert.equal(part.etag, `"${md5}"`, `part ${i + 1} ETag`);
                const answered = part.res.headers['x-oss-hash-crc64ecma'];
                if (i === 1)
                    assert.notEqual(answered, crcs[i], 'part 2 answered with a wrong CRC-64');
                else
                    assert.equal(answered, crcs[i], `part ${i + 1} CRC-64`);
            }
            const first = await sts.listParts(key, uploadId);
            assert.equal(first.parts.length, 2);
            assert.equal(first.isTruncated, 'true');
            assert.equal(first.nextPartNumberMarker, '2');
            assert.equal(first.parts[1].HashCrc64ecma, crcs[1], 'the stored part keeps its true CRC-64');
            const second = await sts.listParts(key, uploadId, { 'part-number-marker': first.nextPartNumberMarker });
            assert.equal(second.isTruncated, 'false');
            assert.equal(second.parts.PartNumber, '3', 'one part left on the last page');
            const stats = JSON.parse((await rawRequest(server.port, 'GET', '/__keystone/stats')).body);
            assert.deepEqual(stats.wrong_crc_parts, { [`${BUCKET}/${key}`]: { 2: 1 } });
            assert.equal(stats.faults_fired_by_kind.crc_mismatch, 1);
            await sts.abortMultipartUpload(key, uploadId);
        });
    } finally {
        await stopServer(server);
        fs.rmSync(scratch, { recursive: true, force: true });
    }
    console.log(`${testNumber} passed, 0 failed`);
}

main().catch(() => {
    console.log(`not ok - stopped after ${testNumber} checks`);
    process.exitCode = 1;
});
