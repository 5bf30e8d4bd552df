#include "memorybody.h"

#include <cstring>

qint64 MemoryBody::read(char *buffer, qint64 maxBytes)
{
    const qint64 count = qMin(maxBytes, m_data.size() - m_position);
    std::memcpy(buffer, m_data.constData() + m_position, size_t(count));
    m_position += count;
    return count;
}
