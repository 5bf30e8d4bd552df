#pragma once

#include "bodysource.h"

#include <QByteArray>

// A small in-memory body (XML documents of CompleteMultipartUpload and the like).
class MemoryBody final : public BodySource
{
public:
    explicit MemoryBody(QByteArray data)
        : m_data(std::move(data))
    { }

    qint64 size() const override { return m_data.size(); }
    qint64 read(char *buffer, qint64 maxBytes) override;
    bool rewind() override
    {
        m_position = 0;
        return true;
    }
    qint64 position() const override { return m_position; }

private:
    QByteArray m_data;
    qint64 m_position = 0;
};
