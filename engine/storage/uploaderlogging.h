#pragma once

#include <QLoggingCategory>

// keystone.storage.uploader: one file's upload (MultipartUploader and its control requests); defined in
// multipartuploader.cpp.
Q_DECLARE_LOGGING_CATEGORY(lcUploader)
