#include "uploadgone.h"

bool isUploadGone(const StorageError &error, S3Request request)
{
    if (error.kind != StorageError::Kind::Http)
        return false;
    if (error.s3Code == QLatin1String("NoSuchUpload"))
        return true;
    if (error.s3Code != QLatin1String("NoSuchKey") || error.httpStatus != 404)
        return false;
    switch (request) {
    case S3Request::ListParts:
    case S3Request::UploadPart:
    case S3Request::CompleteMultipartUpload:
    case S3Request::AbortMultipartUpload:
        return true;
    case S3Request::CreateMultipartUpload:
    case S3Request::PutObject:
    case S3Request::HeadObject:
    case S3Request::GetObject:
        break;
    }
    return false;
}
