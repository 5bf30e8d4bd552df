#include "s3xml.h"

#include <algorithm>
#include <limits>
#include <optional>
#include <vector>

#include <QUrl>
#include <QXmlStreamReader>
#include <QXmlStreamWriter>

namespace {

// S3 bodies are a few KiB to a few hundred KiB (ListParts: up to 1,000 parts), so reading the document into a
// small tree first is cheap and makes "any order, unknown elements, any namespace" come for free.
struct Element
{
    QString name; // local name: the namespace is deliberately ignored
    QString text; // character data directly inside this element
    std::vector<Element> children;

    const Element *child(QStringView childName) const
    {
        for (const Element &c : children) {
            if (c.name == childName) {
                return &c;
            }
        }
        return nullptr;
    }
    // Raw text: keys may legitimately begin or end with spaces, so only callers that know better trim.
    QString childText(QStringView childName) const
    {
        const Element *c = child(childName);
        return c ? c->text : QString();
    }
    QString childTrimmed(QStringView childName) const { return childText(childName).trimmed(); }
};

// Deep enough for any S3 document; the cap keeps a hostile body from exhausting the stack on destruction.
constexpr int kMaxDepth = 32;

StorageResult<Element> parseTree(const QByteArray &xml, const char *what)
{
    // S3 keeps a slow CompleteMultipartUpload alive by sending whitespace before the XML declaration, which
    // XML forbids there: skip it.
    qsizetype start = 0;
    while (start < xml.size() && QChar::isSpace(uchar(xml.at(start)))) {
        ++start;
    }
    if (start == xml.size()) {
        return StorageError::protocol(QStringLiteral("Empty body in %1 response").arg(QLatin1String(what)));
    }

    QXmlStreamReader reader(xml.mid(start));
    std::vector<Element> stack;
    std::optional<Element> root;
    while (!reader.atEnd()) {
        switch (reader.readNext()) {
        case QXmlStreamReader::StartElement:
            if (stack.size() >= size_t(kMaxDepth)) {
                return StorageError::protocol(
                    QStringLiteral("XML nested too deeply in %1 response").arg(QLatin1String(what)));
            }
            stack.push_back(Element{reader.name().toString(), {}, {}});
            break;
        case QXmlStreamReader::Characters:
            if (!stack.empty()) {
                stack.back().text += reader.text();
            }
            break;
        case QXmlStreamReader::EndElement: {
            Element done = std::move(stack.back());
            stack.pop_back();
            if (stack.empty()) {
                root = std::move(done);
            } else {
                stack.back().children.push_back(std::move(done));
            }
            break;
        }
        default:
            break;
        }
    }
    if (reader.hasError()) {
        return StorageError::protocol(QStringLiteral("Malformed XML in %1 response (line %2, column %3): %4")
                                          .arg(QLatin1String(what))
                                          .arg(reader.lineNumber())
                                          .arg(reader.columnNumber())
                                          .arg(reader.errorString()));
    }
    if (!root) {
        return StorageError::protocol(QStringLiteral("No XML element in %1 response").arg(QLatin1String(what)));
    }
    return std::move(*root);
}

// Parses a success body: an <Error> root becomes the error S3 meant, any other unexpected root a protocol error.
StorageResult<Element> parseDocument(const QByteArray &xml, const char *what, QStringView expectedRoot)
{
    StorageResult<Element> tree = parseTree(xml, what);
    if (!tree) {
        return tree;
    }
    if (tree.value().name == QLatin1String("Error")) {
        // The status line said 200 (that is why we are parsing a success body); the body says otherwise.
        return StorageError::fromHttpResponse(200, xml, {}, {});
    }
    if (tree.value().name != expectedRoot) {
        return StorageError::protocol(QStringLiteral("Unexpected <%1> in %2 response, expected <%3>")
                                          .arg(tree.value().name, QLatin1String(what), expectedRoot));
    }
    return tree;
}

StorageError badValue(const char *what, const char *field, const QString &value)
{
    return StorageError::protocol(QStringLiteral("Invalid %1 '%2' in %3 response")
                                      .arg(QLatin1String(field), value.left(64), QLatin1String(what)));
}

std::optional<qint64> toNumber(const QString &text, qint64 min, qint64 max)
{
    bool ok = false;
    const qint64 n = text.trimmed().toLongLong(&ok);
    if (!ok || n < min || n > max) {
        return std::nullopt;
    }
    return n;
}

// Absent means false; anything but true/false means the body is not what we think it is.
std::optional<bool> toBool(const QString &text)
{
    const QString t = text.trimmed();
    if (t.isEmpty() || t.compare(QLatin1String("false"), Qt::CaseInsensitive) == 0) {
        return false;
    }
    if (t.compare(QLatin1String("true"), Qt::CaseInsensitive) == 0) {
        return true;
    }
    return std::nullopt;
}

QByteArrayView stripQuotes(QByteArrayView etag)
{
    etag = etag.trimmed();
    if (etag.startsWith("&quot;") && etag.endsWith("&quot;") && etag.size() >= 12) {
        etag = etag.sliced(6, etag.size() - 12);
    }
    if (etag.size() >= 2 && etag.startsWith('"') && etag.endsWith('"')) {
        etag = etag.sliced(1, etag.size() - 2);
    }
    return etag.trimmed();
}

} // namespace

namespace S3Xml {

std::optional<ErrorBody> parseError(const QByteArray &xml)
{
    const StorageResult<Element> tree = parseTree(xml, "error");
    if (!tree || tree.value().name != QLatin1String("Error")) {
        return std::nullopt;
    }
    const Element &root = tree.value();
    return ErrorBody{root.childTrimmed(u"Code"), root.childTrimmed(u"Message"), root.childTrimmed(u"RequestId"),
        root.childTrimmed(u"Resource"), root.childTrimmed(u"HostId"), root.childTrimmed(u"EC")};
}

StorageResult<QString> parseInitiateMultipartUpload(const QByteArray &xml)
{
    constexpr const char *what = "CreateMultipartUpload";
    const StorageResult<Element> doc = parseDocument(xml, what, u"InitiateMultipartUploadResult");
    if (!doc) {
        return doc.error();
    }
    const QString uploadId = doc.value().childTrimmed(u"UploadId");
    if (uploadId.isEmpty()) {
        return StorageError::protocol(QStringLiteral("No UploadId in %1 response").arg(QLatin1String(what)));
    }
    return uploadId;
}

StorageResult<ListPartsPage> parseListParts(const QByteArray &xml)
{
    constexpr const char *what = "ListParts";
    const StorageResult<Element> doc = parseDocument(xml, what, u"ListPartsResult");
    if (!doc) {
        return doc.error();
    }
    const Element &root = doc.value();

    ListPartsPage page;
    for (const Element &e : root.children) {
        if (e.name != QLatin1String("Part")) {
            continue;
        }
        ListedPart part;
        const QString number = e.childText(u"PartNumber");
        const auto n = toNumber(number, 1, 10000);
        if (!n) {
            return badValue(what, "PartNumber", number);
        }
        part.partNumber = int(*n);
        const QString size = e.childText(u"Size");
        const auto s = toNumber(size, 0, std::numeric_limits<qint64>::max());
        if (!s) {
            return badValue(what, "Size", size);
        }
        part.size = *s;
        // Resume compares these ETags with local MD5s, so a part without one is useless to us.
        part.etag = normalizeEtag(e.childText(u"ETag").toUtf8());
        if (part.etag.isEmpty()) {
            return badValue(what, "ETag", e.childText(u"ETag"));
        }
        page.parts.append(part);
    }

    const auto truncated = toBool(root.childText(u"IsTruncated"));
    if (!truncated) {
        return badValue(what, "IsTruncated", root.childText(u"IsTruncated"));
    }
    page.isTruncated = *truncated;

    const QString marker = root.childTrimmed(u"NextPartNumberMarker");
    if (!marker.isEmpty()) {
        const auto m = toNumber(marker, 0, 10000);
        if (!m) {
            return badValue(what, "NextPartNumberMarker", marker);
        }
        page.nextPartNumberMarker = int(*m);
    }
    if (page.isTruncated && page.nextPartNumberMarker == 0) {
        for (const ListedPart &p : std::as_const(page.parts)) {
            page.nextPartNumberMarker = std::max(page.nextPartNumberMarker, p.partNumber);
        }
        if (page.nextPartNumberMarker == 0) {
            return StorageError::protocol(
                QStringLiteral("Truncated %1 response without NextPartNumberMarker").arg(QLatin1String(what)));
        }
    }
    return page;
}

StorageResult<MultipartUploadsPage> parseListMultipartUploadsPage(const QByteArray &xml)
{
    constexpr const char *what = "ListMultipartUploads";
    const StorageResult<Element> doc = parseDocument(xml, what, u"ListMultipartUploadsResult");
    if (!doc) {
        return doc.error();
    }
    const Element &root = doc.value();
    // With encoding-type=url S3 percent-encodes keys (and markers) so that any byte survives XML.
    const bool urlEncoded = root.childTrimmed(u"EncodingType").compare(QLatin1String("url"), Qt::CaseInsensitive) == 0;
    const auto decodeKey
        = [urlEncoded](const QString &key) { return urlEncoded ? QUrl::fromPercentEncoding(key.toUtf8()) : key; };

    MultipartUploadsPage page;
    for (const Element &e : root.children) {
        if (e.name != QLatin1String("Upload")) {
            continue;
        }
        MultipartUploadEntry entry;
        entry.key = decodeKey(e.childText(u"Key"));
        entry.uploadId = e.childTrimmed(u"UploadId");
        if (entry.key.isEmpty() || entry.uploadId.isEmpty()) {
            return StorageError::protocol(
                QStringLiteral("Upload without Key or UploadId in %1 response").arg(QLatin1String(what)));
        }
        entry.initiated = QDateTime::fromString(e.childTrimmed(u"Initiated"), Qt::ISODateWithMs);
        page.uploads.append(entry);
    }

    const auto truncated = toBool(root.childText(u"IsTruncated"));
    if (!truncated) {
        return badValue(what, "IsTruncated", root.childText(u"IsTruncated"));
    }
    page.isTruncated = *truncated;
    page.nextKeyMarker = decodeKey(root.childText(u"NextKeyMarker"));
    page.nextUploadIdMarker = root.childTrimmed(u"NextUploadIdMarker");
    return page;
}

StorageResult<QList<MultipartUploadEntry>> parseListMultipartUploads(const QByteArray &xml)
{
    StorageResult<MultipartUploadsPage> page = parseListMultipartUploadsPage(xml);
    if (!page) {
        return page.error();
    }
    return std::move(page.value().uploads);
}

StorageResult<CompleteResult> parseCompleteMultipartUpload(const QByteArray &xml)
{
    const StorageResult<Element> doc = parseDocument(xml, "CompleteMultipartUpload", u"CompleteMultipartUploadResult");
    if (!doc) {
        return doc.error();
    }
    const Element &root = doc.value();
    CompleteResult result;
    result.location = root.childTrimmed(u"Location");
    result.bucket = root.childTrimmed(u"Bucket");
    result.key = root.childText(u"Key");
    // Normalized like every other ETag: servers differ in quotes and case (OSS, also on its S3 endpoint, sends
    // upper-case hex), and the caller compares it with the lower-case ETag our parts' MD5s make.
    result.etag = normalizeEtag(root.childText(u"ETag").toUtf8());
    return result;
}

QByteArray buildCompleteMultipartUpload(const QList<CompletedPart> &parts)
{
    // S3 rejects an unsorted list with InvalidPartOrder; workers finish in any order, so sort here once.
    QList<CompletedPart> sorted = parts;
    std::stable_sort(sorted.begin(), sorted.end(),
        [](const CompletedPart &a, const CompletedPart &b) { return a.partNumber < b.partNumber; });

    QByteArray xml;
    QXmlStreamWriter writer(&xml);
    writer.writeStartDocument();
    writer.writeStartElement(QStringLiteral("CompleteMultipartUpload"));
    writer.writeDefaultNamespace(QStringLiteral("http://s3.amazonaws.com/doc/2006-03-01/"));
    for (const CompletedPart &part : std::as_const(sorted)) {
        writer.writeStartElement(QStringLiteral("Part"));
        writer.writeTextElement(QStringLiteral("PartNumber"), QString::number(part.partNumber));
        // The writer escapes the quotes as &quot;, which every XML parser (S3's included) reads back as '"'.
        writer.writeTextElement(QStringLiteral("ETag"),
            QLatin1Char('"') + QString::fromLatin1(normalizeEtag(part.etag)) + QLatin1Char('"'));
        writer.writeEndElement();
    }
    writer.writeEndElement();
    writer.writeEndDocument();
    return xml;
}

QByteArray normalizeEtag(QByteArrayView etag)
{
    return stripQuotes(etag).toByteArray().toLower();
}

} // namespace S3Xml
