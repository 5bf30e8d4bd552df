#pragma once

#include "storageerror.h"

// The request an error answered: what "the server no longer has this multipart upload" looks like depends on it.
enum class S3Request {
    ListParts,
    UploadPart,
    CompleteMultipartUpload,
    AbortMultipartUpload,
    CreateMultipartUpload,
    PutObject,
    HeadObject,
    GetObject,
};

// True when the error says the multipart upload the request named is gone from the server (aborted by a lifecycle
// rule or an admin, expired, completed, or lost by the server), so the file must start over with a new upload.
// Decided by meaning, not by one code, because servers say it differently:
//  - NoSuchUpload (404): AWS S3, Alibaba OSS, MinIO, SeaweedFS, and the rest — on any request naming an upload id;
//  - NoSuchKey (404) on ListParts, UploadPart, Complete and Abort: Ceph radosgw 16.2 answers a removed upload's
//    ListParts so (docs/compatibility.md). These requests always name an upload id, so the key they miss is the
//    upload's. On HEAD, GET, PUT and Create a NoSuchKey is about the object and never means the upload is gone.
// On Complete, gone may also mean the first Complete went through and only its answer was lost: the uploader then
// asks HEAD whether the object is ours before it starts anything over.
[[nodiscard]] bool isUploadGone(const StorageError &error, S3Request request);
