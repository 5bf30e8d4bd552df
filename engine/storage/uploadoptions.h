#pragma once

#include "adaptiveconcurrency.h"
#include "partplan.h"
#include "partslots.h"
#include "retrypolicy.h"

#include <memory>

// How a file is uploaded: part size, budget of requests in flight, retries, and what a failure keeps.
struct UploadOptions
{
    qint64 partSize = PartPlan::kDefaultPartSize;
    qint64 minPartSize = PartPlan::kMinPartSize; // the provider's (EndpointProfile::minPartSize())
    // Requests in flight: per file for MultipartUploader::upload(); for an UploadJob, across all its files (parts
    // and whole small files draw from one budget).
    int concurrency = 8;
    qint64 singlePutThreshold = 16 * PartPlan::kMiB; // smaller files: one PutObject with Content-MD5
    RetryPolicy retry;
    // Keep the multipart upload (for a later resume) when retries ran out. A non-retryable failure always aborts
    // it: there is nothing worth resuming. What a cancel does is the caller's choice (CancelMode).
    bool keepIncompleteUpload = false;
    int progressIntervalMs = 100; // at most 10 progress reports a second (+ one per part)
    std::shared_ptr<PartSlots> partSlots; // budget of requests in flight shared with other uploads; null: none
    // Set when the number of requests in flight adapts to the link: every verified request and every push-back
    // (SlowDown, timeout, reset) is reported to it; partSlots is then (or sits under) its budget.
    std::shared_ptr<AdaptiveConcurrency> adaptive;
};
