<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name>AboutDialog</name>
    <message>
        <source>About Keystone Console</source>
        <translation>关于 Keystone Console</translation>
    </message>
    <message>
        <source>Version</source>
        <translation>版本</translation>
    </message>
    <message>
        <source>Qt</source>
        <translation>Qt</translation>
    </message>
    <message>
        <source>libcurl</source>
        <translation>libcurl</translation>
    </message>
    <message>
        <source>TLS</source>
        <translation>TLS</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <source>Data directory</source>
        <translation>数据目录</translation>
    </message>
    <message>
        <source>Local API</source>
        <translation>本地 API</translation>
    </message>
    <message>
        <source>not running</source>
        <translation>未运行</translation>
    </message>
    <message>
        <source>Keystone Console</source>
        <translation>Keystone Console</translation>
    </message>
    <message>
        <source>Uploads robot episodes to S3-compatible object storage.</source>
        <translation>将机器人采集片段上传到兼容 S3 的对象存储。</translation>
    </message>
</context>
<context>
    <name>ApiPage</name>
    <message>
        <source>Local API</source>
        <translation>本地 API</translation>
    </message>
    <message>
        <source>Sho&amp;w</source>
        <translation>显示(&amp;W)</translation>
    </message>
    <message>
        <source>Hi&amp;de</source>
        <translation>隐藏(&amp;D)</translation>
    </message>
    <message>
        <source>&amp;Copy</source>
        <translation>复制(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;Regenerate</source>
        <translation>重新生成(&amp;R)</translation>
    </message>
    <message>
        <source>Replace the token; scripts using the old one must read the new token file.</source>
        <translation>更换令牌；使用旧令牌的脚本必须读取新的令牌文件。</translation>
    </message>
    <message>
        <source>Listening on:</source>
        <translation>监听地址：</translation>
    </message>
    <message>
        <source>Token:</source>
        <translation>令牌：</translation>
    </message>
    <message>
        <source>not running</source>
        <translation>未运行</translation>
    </message>
</context>
<context>
    <name>BandwidthSchedule</name>
    <message>
        <source>bandwidth schedule entry &apos;%1&apos;: that time is already in the schedule</source>
        <translation>带宽时间表条目“%1”：该时间已在时间表中</translation>
    </message>
    <message>
        <source>bandwidth schedule entry &apos;%1&apos;: expected [Day-]HH:MM,RATE</source>
        <translation>带宽时间表条目“%1”：格式应为 [Day-]HH:MM,RATE</translation>
    </message>
    <message>
        <source>bandwidth schedule entry &apos;%1&apos;: the rate must be a size such as 512K or 10M, or off</source>
        <translation>带宽时间表条目“%1”：速率须为 512K、10M 这样的大小，或 off</translation>
    </message>
    <message>
        <source>bandwidth schedule entry &apos;%1&apos;: unknown day &apos;%2&apos; (use Mon to Sun)</source>
        <translation>带宽时间表条目“%1”：未知的星期“%2”（请用 Mon 到 Sun）</translation>
    </message>
    <message>
        <source>bandwidth schedule entry &apos;%1&apos;: the time must be HH:MM, from 00:00 to 23:59</source>
        <translation>带宽时间表条目“%1”：时间须为 HH:MM，从 00:00 到 23:59</translation>
    </message>
</context>
<context>
    <name>CatalogWriteGate</name>
    <message>
        <source>the catalog in %1 cannot be written (%2); uploads are paused and continue once it can be written</source>
        <translation>%1 中的本地数据库无法写入（%2）；上传已暂停，可写入后继续</translation>
    </message>
</context>
<context>
    <name>CloseQuestion</name>
    <message>
        <source>Uploads are running</source>
        <translation>上传正在进行</translation>
    </message>
    <message>
        <source>Closing the window can keep the uploads going in the tray, or quit: uploads then stop now and continue from their verified parts the next time Keystone Console starts.</source>
        <translation>关闭窗口时可以让上传在托盘中继续，或者退出：上传会立即停止，并在下次启动 Keystone Console 时从已校验的分片继续。</translation>
    </message>
    <message>
        <source>Keep uploading in the tray</source>
        <translation>在托盘中继续上传</translation>
    </message>
    <message>
        <source>Quit and pause</source>
        <translation>退出并暂停</translation>
    </message>
    <message>
        <source>Remember my choice</source>
        <translation>记住我的选择</translation>
    </message>
</context>
<context>
    <name>CommandTally</name>
    <message>
        <source>%1 %2</source>
        <extracomment>one group of skipped episodes: &quot;2 completed&quot;</extracomment>
        <translation>%1 个 %2</translation>
    </message>
    <message>
        <source>skipped %1</source>
        <translation>跳过 %1</translation>
    </message>
    <message numerus="yes">
        <source>%n failed: %1</source>
        <translation>
            <numerusform>%n 个失败：%1</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ConnectionProbe</name>
    <message>
        <source>Connected: bucket &quot;%1&quot; is reachable with these credentials.</source>
        <translation>已连接：使用这些凭证可以访问存储空间“%1”。</translation>
    </message>
</context>
<context>
    <name>CredentialResolver</name>
    <message>
        <source>no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is not set)</source>
        <translation>没有 D-Bus 会话总线（未设置 DBUS_SESSION_BUS_ADDRESS）</translation>
    </message>
    <message>
        <source>keychain: not asked here</source>
        <translation>密钥环：此处不查询</translation>
    </message>
    <message>
        <source>keychain: no access key id to look up</source>
        <translation>密钥环：没有可查找的 AccessKey ID</translation>
    </message>
    <message>
        <source>keychain: %1</source>
        <translation>密钥环：%1</translation>
    </message>
    <message>
        <source>keychain</source>
        <translation>密钥环</translation>
    </message>
    <message>
        <source>environment</source>
        <translation>环境变量</translation>
    </message>
    <message>
        <source>environment: no AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or OSS_ACCESS_KEY_ID/OSS_ACCESS_KEY_SECRET pair</source>
        <translation>环境变量：没有 AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY 或 OSS_ACCESS_KEY_ID/OSS_ACCESS_KEY_SECRET 这一对</translation>
    </message>
    <message>
        <source>no --credentials-file given</source>
        <translation>未指定 --credentials-file</translation>
    </message>
    <message>
        <source>file %1</source>
        <translation>文件 %1</translation>
    </message>
    <message>
        <source>access key %1</source>
        <translation>AccessKey %1</translation>
    </message>
    <message>
        <source>%1, access key %2</source>
        <translation>%1，AccessKey %2</translation>
    </message>
    <message>
        <source>systemd credential %1: CREDENTIALS_DIRECTORY is not set</source>
        <translation>systemd 凭证 %1：未设置 CREDENTIALS_DIRECTORY</translation>
    </message>
    <message>
        <source>systemd credential %1: not in %2</source>
        <translation>systemd 凭证 %1：不在 %2 中</translation>
    </message>
    <message>
        <source>systemd credential %1: empty</source>
        <translation>systemd 凭证 %1：为空</translation>
    </message>
    <message>
        <source>systemd credential %1</source>
        <translation>systemd 凭证 %1</translation>
    </message>
    <message>
        <source>no credentials found. Provide them in one of three ways: the keychain (keystone-console credentials set, with the access key id in AWS_ACCESS_KEY_ID or access-key-id= in the config), the environment (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or OSS_ACCESS_KEY_ID and OSS_ACCESS_KEY_SECRET), or --credentials-file FILE (AWS shared-credentials format, chmod 600; for a systemd service also LoadCredential=keystone-credentials:FILE). Tried: %1</source>
        <translation>未找到访问凭证。请用以下三种方式之一提供：系统密钥环（keystone-console credentials set，AccessKey ID 放在 AWS_ACCESS_KEY_ID 中或配置文件的 access-key-id= 中）、环境变量（AWS_ACCESS_KEY_ID 和 AWS_SECRET_ACCESS_KEY，或 OSS_ACCESS_KEY_ID 和 OSS_ACCESS_KEY_SECRET），或 --credentials-file FILE（AWS 共享凭证格式，chmod 600；systemd 服务还可用 LoadCredential=keystone-credentials:FILE）。已尝试：%1</translation>
    </message>
</context>
<context>
    <name>CredentialStore</name>
    <message>
        <source>The keychain did not answer within %1 s.</source>
        <translation>密钥环在 %1 秒内没有响应。</translation>
    </message>
    <message>
        <source>No keychain available (no D-Bus session / secret service). Use AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY instead.</source>
        <translation>没有可用的系统密钥环（没有 D-Bus 会话 / Secret Service）。请改用 AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY。</translation>
    </message>
    <message>
        <source>No secret key is stored in the keychain for this access key id.</source>
        <translation>密钥环中没有保存此 AccessKey ID 的 AccessKey Secret。</translation>
    </message>
    <message>
        <source>The keychain refused access to the secret key.</source>
        <translation>密钥环拒绝访问 AccessKey Secret。</translation>
    </message>
    <message>
        <source>The keychain reported an error: %1</source>
        <translation>密钥环报告错误：%1</translation>
    </message>
    <message>
        <source>The access key id is empty.</source>
        <translation>AccessKey ID 为空。</translation>
    </message>
</context>
<context>
    <name>CredentialsCommand</name>
    <message>
        <source>Store (set) or remove (clear) the secret access key in the keychain. set reads the secret from stdin.</source>
        <translation>在系统密钥环中保存（set）或删除（clear）AccessKey Secret。set 从标准输入读取 Secret。</translation>
    </message>
    <message>
        <source>The command.</source>
        <translation>命令。</translation>
    </message>
    <message>
        <source>Store or remove the secret.</source>
        <translation>保存或删除 Secret。</translation>
    </message>
    <message>
        <source>The access key id (default: $AWS_ACCESS_KEY_ID, $OSS_ACCESS_KEY_ID or access-key-id in --config).</source>
        <translation>AccessKey ID（默认：$AWS_ACCESS_KEY_ID、$OSS_ACCESS_KEY_ID 或 --config 中的 access-key-id）。</translation>
    </message>
    <message>
        <source>keystone-console credentials: %1</source>
        <translation>keystone-console credentials：%1</translation>
    </message>
    <message>
        <source>usage: keystone-console credentials set|clear [--access-key-id ID] (see --help)</source>
        <translation>用法：keystone-console credentials set|clear [--access-key-id ID]（参见 --help）</translation>
    </message>
    <message>
        <source>keystone-console credentials: no access key id: pass --access-key-id, set AWS_ACCESS_KEY_ID or put access-key-id= in the --config file</source>
        <translation>keystone-console credentials：没有 AccessKey ID：请传入 --access-key-id、设置 AWS_ACCESS_KEY_ID，或在 --config 文件中写入 access-key-id=</translation>
    </message>
    <message>
        <source>keystone-console credentials: no keychain usable: %1. Use the environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY) or --credentials-file FILE instead.</source>
        <translation>keystone-console credentials：没有可用的系统密钥环：%1。请改用环境变量（AWS_ACCESS_KEY_ID、AWS_SECRET_ACCESS_KEY）或 --credentials-file FILE。</translation>
    </message>
    <message>
        <source>the keychain (service &quot;%1&quot;, key %2)</source>
        <translation>系统密钥环（服务“%1”，键 %2）</translation>
    </message>
    <message>
        <source>removed the secret access key from %1</source>
        <translation>已从 %1 删除 AccessKey Secret</translation>
    </message>
    <message>
        <source>keystone-console credentials: no secret on stdin (one line expected)</source>
        <translation>keystone-console credentials：标准输入中没有 Secret（应为一行）</translation>
    </message>
    <message>
        <source>stored the secret access key in %1</source>
        <translation>已将 AccessKey Secret 保存到 %1</translation>
    </message>
    <message>
        <source>Secret access key for %1: </source>
        <translation>%1 的 AccessKey Secret：</translation>
    </message>
</context>
<context>
    <name>CredentialsFile</name>
    <message>
        <source>cannot read credentials file %1: %2</source>
        <translation>无法读取凭证文件 %1：%2</translation>
    </message>
    <message>
        <source>credentials file %1 is not a regular file (a %2)</source>
        <translation>凭证文件 %1 不是普通文件（而是%2）</translation>
    </message>
    <message>
        <source>credentials file %1 is owned by uid %2, not by the user running Keystone Console (uid %3) or root; whoever owns it can change the credentials</source>
        <translation>凭证文件 %1 的所有者是 uid %2，既不是运行 Keystone Console 的用户（uid %3）也不是 root；文件所有者可以修改凭证</translation>
    </message>
    <message>
        <source>credentials file %1 is empty</source>
        <translation>凭证文件 %1 为空</translation>
    </message>
    <message>
        <source>credentials file %1 has no aws_access_key_id and aws_secret_access_key in its [default] section</source>
        <translation>凭证文件 %1 的 [default] 节中没有 aws_access_key_id 和 aws_secret_access_key</translation>
    </message>
    <message>
        <source>credentials file %1 is readable by group or others (mode %2); run chmod 600 %1</source>
        <translation>凭证文件 %1 可被同组或其他用户读取（权限 %2）；请运行 chmod 600 %1</translation>
    </message>
    <message>
        <source>credentials file %1 is writable by group or others (mode %2); run chmod go-w %1</source>
        <translation>凭证文件 %1 可被同组或其他用户写入（权限 %2）；请运行 chmod go-w %1</translation>
    </message>
    <message>
        <source>larger than %1 bytes</source>
        <translation>大于 %1 字节</translation>
    </message>
</context>
<context>
    <name>CredentialsPage</name>
    <message>
        <source>Credentials</source>
        <translation>访问凭证</translation>
    </message>
    <message>
        <source>stored in the system keychain</source>
        <translation>保存在系统密钥环中</translation>
    </message>
    <message>
        <source>&amp;Test connection</source>
        <translation>测试连接(&amp;T)</translation>
    </message>
    <message>
        <source>Access &amp;key ID:</source>
        <translation>AccessKey ID(&amp;K)：</translation>
    </message>
    <message>
        <source>&amp;Secret key:</source>
        <translation>AccessKey Secret(&amp;S)：</translation>
    </message>
    <message>
        <source>No keychain on this system: the secret key is taken from the environment (AWS_SECRET_ACCESS_KEY or OSS_ACCESS_KEY_SECRET) or from the credentials file (--credentials-file, mode 0600), so it stays empty here.</source>
        <translation>此系统没有密钥环：AccessKey Secret 取自环境变量（AWS_SECRET_ACCESS_KEY 或 OSS_ACCESS_KEY_SECRET）或凭证文件（--credentials-file，权限 0600），因此这里留空。</translation>
    </message>
    <message>
        <source>from the environment or the credentials file</source>
        <translation>来自环境变量或凭证文件</translation>
    </message>
    <message>
        <source>In use: %1</source>
        <translation>正在使用：%1</translation>
    </message>
    <message>
        <source>Testing…</source>
        <translation>正在测试…</translation>
    </message>
    <message>
        <source>Failed: %1</source>
        <translation>失败：%1</translation>
    </message>
</context>
<context>
    <name>EngineBanners</name>
    <message>
        <source>Storage unreachable since %1: %2
%3</source>
        <translation>存储服务自 %1 起无法连接：%2
%3</translation>
    </message>
    <message>
        <source>Credentials rejected since %1: %2
%3</source>
        <translation>访问凭证自 %1 起被拒绝：%2
%3</translation>
    </message>
    <message>
        <source>Recording: a watched folder is growing.</source>
        <translation>正在录制：监视的文件夹仍在增长。</translation>
    </message>
    <message>
        <source>Recording mode until %1.</source>
        <translation>录制模式，至 %1 结束。</translation>
    </message>
    <message>
        <source>Recording mode.</source>
        <translation>录制模式。</translation>
    </message>
    <message>
        <source>Uploads hold until it ends; verified parts are kept.</source>
        <translation>上传暂停至录制结束；已校验的分片会保留。</translation>
    </message>
    <message>
        <source>Uploads yield to the recorder: at most %1, one part at a time per episode.</source>
        <translation>上传让行于录制：最多 %1，每个采集片段同时只传一个分片。</translation>
    </message>
</context>
<context>
    <name>EngineHost</name>
    <message>
        <source>Keystone Console API also on unix:%1 (this user and root only)</source>
        <translation>Keystone Console API 也在 unix:%1 上提供（仅限本用户和 root）</translation>
    </message>
    <message>
        <source>Watching %1: a new folder becomes an episode after %2 s unchanged or once it holds %3</source>
        <translation>正在监视 %1：新文件夹无变化满 %2 秒、或其中出现 %3 后，即成为一个采集片段</translation>
    </message>
</context>
<context>
    <name>EngineOptions</name>
    <message>
        <source>invalid --listen &apos;%1&apos; (expected HOST:PORT, or unix:PATH with at most %2 bytes)</source>
        <translation>无效的 --listen“%1”（应为 HOST:PORT，或不超过 %2 字节的 unix:PATH）</translation>
    </message>
    <message>
        <source>--watch %1 is not a folder</source>
        <translation>--watch %1 不是文件夹</translation>
    </message>
    <message>
        <source>--watch-stable-seconds must be between 1 and 86400</source>
        <translation>--watch-stable-seconds 必须在 1 到 86400 之间</translation>
    </message>
    <message>
        <source>--watch-marker must be a file name</source>
        <translation>--watch-marker 必须是文件名</translation>
    </message>
    <message>
        <source>--bucket is required</source>
        <translation>必须指定 --bucket</translation>
    </message>
    <message>
        <source>--max-parts must be between 1 and 256</source>
        <translation>--max-parts 必须在 1 到 256 之间</translation>
    </message>
    <message>
        <source>--max-files-per-episode must be between 1 and 10000000</source>
        <translation>--max-files-per-episode 必须在 1 到 10000000 之间</translation>
    </message>
    <message>
        <source>invalid --small-episode-size (a size such as 64M, or 0 for no small lane)</source>
        <translation>无效的 --small-episode-size（应为大小，如 64M；0 表示不设小通道）</translation>
    </message>
    <message>
        <source>--api-max-connections must be between 1 and 1000000</source>
        <translation>--api-max-connections 必须在 1 到 1000000 之间</translation>
    </message>
    <message>
        <source>Catalog, API token and instance lock (default: the application data location).</source>
        <translation>本地数据库、API 令牌和实例锁的位置（默认：应用数据目录）。</translation>
    </message>
    <message>
        <source>Local API address: host:port (default 127.0.0.1:8470; port 0: any free port) and/or unix:PATH, a Unix socket for clients of the same user (default unix:&lt;data-dir&gt;/api.sock; unix: alone: none). May be given twice.</source>
        <translation>本地 API 地址：host:port（默认 127.0.0.1:8470；端口 0：任一空闲端口）和/或 unix:PATH，供同一用户的客户端使用的 Unix 套接字（默认 unix:&lt;data-dir&gt;/api.sock；只写 unix:：不使用）。可指定两次。</translation>
    </message>
    <message>
        <source>Local API connections open at once; when full the oldest idle one is closed (default 256).</source>
        <translation>本地 API 同时打开的连接数；满时关闭最早的空闲连接（默认 256）。</translation>
    </message>
    <message>
        <source>Bucket for the episodes.</source>
        <translation>存放采集片段的存储空间（Bucket）。</translation>
    </message>
    <message>
        <source>Key prefix of the episodes (default: episodes).</source>
        <translation>采集片段的对象前缀（默认：episodes）。</translation>
    </message>
    <message>
        <source>Episodes uploading at once (default 2).</source>
        <translation>同时上传的采集片段数（默认 2）。</translation>
    </message>
    <message>
        <source>Requests in flight across all episodes (default: adapts to the link, 2 to 32, unless --concurrency is given; then 8).</source>
        <translation>所有采集片段合计的并发请求数（默认：随链路自适应，2 到 32；若指定了 --concurrency 则为 8）。</translation>
    </message>
    <message>
        <source>Episodes smaller than this may start in the small lane while large ones hold every slot (default 64M; 0: off, first come, first served).</source>
        <translation>大采集片段占满所有名额时，小于此大小的采集片段仍可经小通道开始上传（默认 64M；0：关闭，先到先传）。</translation>
    </message>
    <message>
        <source>Refuse to register a path holding more files than this (default 100000).</source>
        <translation>拒绝登记文件数超过此值的路径（默认 100000）。</translation>
    </message>
    <message>
        <source>Register each new sub-folder of this folder as an episode once it is stable or marked.</source>
        <translation>此文件夹中每个新子文件夹稳定或带有标记后，登记为一个采集片段。</translation>
    </message>
    <message>
        <source>A watched folder is stable after this many seconds without change (default 30).</source>
        <translation>被监视的文件夹在这么多秒无变化后视为稳定（默认 30）。</translation>
    </message>
    <message>
        <source>A file of this name makes a watched folder ready at once; it is not uploaded (default .done).</source>
        <translation>被监视的文件夹中出现此名称的文件时立即就绪；该文件不上传（默认 .done）。</translation>
    </message>
    <message>
        <source>This station&apos;s name in /metrics (keystone_station_info), for a fleet view of many stations (default: the host name).</source>
        <translation>本站在 /metrics 中的名称（keystone_station_info），用于多站点的集中监控（默认：主机名）。</translation>
    </message>
    <message>
        <source>Upload limits by time of day, as rclone&apos;s timetable: &quot;08:00,10M 20:00,off&quot;, weekdays optional (&quot;Mon-08:00,2M Sat-00:00,off&quot;). Replaces --bandwidth-limit while set.</source>
        <translation>按时段限制上传速率，写法同 rclone 的时间表：&quot;08:00,10M 20:00,off&quot;，星期可选（&quot;Mon-08:00,2M Sat-00:00,off&quot;）。设置后取代 --bandwidth-limit。</translation>
    </message>
    <message>
        <source>Upload limit in recording mode, e.g. 5M (0: uploads hold while recording; default: a tenth of the measured uplink).</source>
        <translation>录制模式下的上传上限，如 5M（0：录制期间暂停上传；默认：实测上行带宽的十分之一）。</translation>
    </message>
    <message>
        <source>invalid --recording-limit (a rate such as 5M, or 0 to hold uploads while recording)</source>
        <translation>无效的 --recording-limit（应为速率，如 5M；0 表示录制期间暂停上传）</translation>
    </message>
    <message>
        <source>invalid --bandwidth-schedule: %1</source>
        <translation>无效的 --bandwidth-schedule：%1</translation>
    </message>
    <message>
        <source>--max-episodes must be between %1 and %2</source>
        <translation>--max-episodes 必须在 %1 到 %2 之间</translation>
    </message>
</context>
<context>
    <name>EpisodeActions</name>
    <message>
        <source>Cannot add %1: %2</source>
        <translation>无法添加 %1：%2</translation>
    </message>
    <message>
        <source>Added %1</source>
        <translation>已添加 %1</translation>
    </message>
    <message>
        <source>Add episode files</source>
        <translation>添加采集片段文件</translation>
    </message>
    <message>
        <source>Add episode folder</source>
        <translation>添加采集片段文件夹</translation>
    </message>
    <message>
        <source>episode %1: %2</source>
        <translation>采集片段 %1：%2</translation>
    </message>
    <message>
        <source>Queued %1; uploads are paused: Resume all to start them</source>
        <translation>已将 %1 加入队列；上传已全部暂停：点击“全部继续”开始上传</translation>
    </message>
    <message>
        <source>Synced %1</source>
        <translation>已同步 %1</translation>
    </message>
    <message>
        <source>Paused %1</source>
        <translation>已暂停 %1</translation>
    </message>
    <message>
        <source>Resumed %1</source>
        <translation>已继续 %1</translation>
    </message>
    <message>
        <source>Retried %1</source>
        <translation>已重试 %1</translation>
    </message>
    <message>
        <source>Rescanning %1</source>
        <translation>正在重新扫描 %1</translation>
    </message>
    <message>
        <source>Moved %1 to the top</source>
        <translation>已将 %1 移到最前</translation>
    </message>
    <message>
        <source>Cancel upload</source>
        <translation>取消上传</translation>
    </message>
    <message>
        <source>%1 of the selection are already verified in the storage. Cancelling discards them: a retry starts from the beginning. Pausing keeps them.</source>
        <translation>所选内容中已有 %1 在存储服务中校验完成。取消会丢弃这些数据：重试将从头开始。暂停则会保留它们。</translation>
    </message>
    <message>
        <source>Cancel and discard</source>
        <translation>取消并丢弃</translation>
    </message>
    <message>
        <source>Pause instead</source>
        <translation>改为暂停</translation>
    </message>
    <message>
        <source>Keep uploading</source>
        <translation>继续上传</translation>
    </message>
    <message>
        <source>Cancelled %1</source>
        <translation>已取消 %1</translation>
    </message>
    <message>
        <source>Remove from list</source>
        <translation>从列表中移除</translation>
    </message>
    <message>
        <source>Remove %1 from the list? The local files and the objects in the bucket are not touched; the episodes&apos; history is forgotten.</source>
        <translation>从列表中移除 %1？本地文件和存储空间中的对象不会被改动；采集片段的历史记录将被清除。</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>移除</translation>
    </message>
    <message>
        <source>Removed %1</source>
        <translation>已移除 %1</translation>
    </message>
    <message>
        <source>Cannot open %1</source>
        <translation>无法打开 %1</translation>
    </message>
    <message>
        <source>Copied %1</source>
        <translation>已复制 %1</translation>
    </message>
</context>
<context>
    <name>EpisodeCellTexts</name>
    <message>
        <source>…</source>
        <translation>…</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <extracomment>last error cell: code, then the storage&apos;s message</extracomment>
        <translation>%1：%2</translation>
    </message>
    <message>
        <source>%1: %2

%3</source>
        <extracomment>tooltip of an episode with an error: code, its message, then what to do</extracomment>
        <translation>%1：%2

%3</translation>
    </message>
    <message>
        <source>%1 of %2, %3 of %4</source>
        <extracomment>tooltip of the progress cell: &quot;3 of 10 parts, 1 of 2 files&quot; (the second count carries the plural)</extracomment>
        <translation>%1 / %2，%3 / %4</translation>
    </message>
    <message>
        <source>Verified (solid bar): %1</source>
        <extracomment>the bar&apos;s two shades, named in the tooltip: the solid part and the light part</extracomment>
        <translation>已校验（实心条）：%1</translation>
    </message>
    <message>
        <source>In flight (light bar): %1, not yet verified</source>
        <translation>传输中（浅色条）：%1，尚未校验</translation>
    </message>
</context>
<context>
    <name>EpisodeDetailsPane</name>
    <message>
        <source>Details</source>
        <translation>详情</translation>
    </message>
    <message>
        <source>Name:</source>
        <translation>名称：</translation>
    </message>
    <message>
        <source>State:</source>
        <translation>状态：</translation>
    </message>
    <message>
        <source>Local path:</source>
        <translation>本地路径：</translation>
    </message>
    <message>
        <source>Object prefix:</source>
        <translation>对象前缀：</translation>
    </message>
    <message>
        <source>Every file of the episode is stored below this prefix.</source>
        <translation>采集片段的每个文件都存储在此前缀下。</translation>
    </message>
    <message>
        <source>Manifest key:</source>
        <translation>清单对象键：</translation>
    </message>
    <message>
        <source>The manifest is written last: it marks the episode complete in the storage.</source>
        <translation>清单最后写入：它在存储服务中标记采集片段已完成。</translation>
    </message>
    <message>
        <source>Manifest ETag:</source>
        <translation>清单 ETag：</translation>
    </message>
    <message>
        <source>Resumable uploads:</source>
        <translation>可续传的上传：</translation>
    </message>
    <message>
        <source>Multipart uploads kept on the storage: the next attempt continues them instead of starting over.</source>
        <translation>保留在存储服务上的分片上传：下一次尝试会继续它们，而不是从头开始。</translation>
    </message>
    <message>
        <source>Last error:</source>
        <translation>最近错误：</translation>
    </message>
    <message>
        <source>Queued:</source>
        <translation>登记时间：</translation>
    </message>
    <message>
        <source>When the episode was registered.</source>
        <translation>采集片段登记的时间。</translation>
    </message>
    <message>
        <source>Started:</source>
        <translation>开始时间：</translation>
    </message>
    <message>
        <source>When its first sync attempt started.</source>
        <translation>第一次同步尝试开始的时间。</translation>
    </message>
    <message>
        <source>Completed:</source>
        <translation>完成时间：</translation>
    </message>
    <message>
        <source>Duration:</source>
        <translation>总耗时：</translation>
    </message>
    <message>
        <source>From the start of the first attempt to completion, waits between attempts included.</source>
        <translation>从第一次尝试开始到完成，包括两次尝试之间的等待。</translation>
    </message>
    <message>
        <source>Time uploading:</source>
        <translation>上传用时：</translation>
    </message>
    <message>
        <source>The time the sync attempts ran, added up; waits between attempts are not counted.</source>
        <translation>各次同步尝试运行时间之和；不计两次尝试之间的等待。</translation>
    </message>
    <message>
        <source>Verified bytes divided by the time the sync attempts ran (waits for a retry, pauses and the queue are not counted). Bytes sent but never verified are not counted.</source>
        <translation>已校验的字节数除以同步尝试运行的时间（不计等待重试、暂停和排队的时间）。已发送但未校验的字节不计入。</translation>
    </message>
    <message>
        <source>Average speed:</source>
        <translation>平均速度：</translation>
    </message>
    <message>
        <source>Next retry:</source>
        <translation>下次重试：</translation>
    </message>
    <message>
        <source>Copy object key</source>
        <translation>复制对象键</translation>
    </message>
    <message>
        <source>%1 episodes selected: select one to see its details.</source>
        <translation>已选择 %1 个采集片段：选择一个以查看详情。</translation>
    </message>
    <message>
        <source>Episode %1 is gone.</source>
        <translation>采集片段 %1 已不存在。</translation>
    </message>
    <message>
        <source>Select an episode to see its details.</source>
        <translation>选择一个采集片段以查看详情。</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
    <message>
        <source>Where the episode&apos;s files are stored.</source>
        <translation>采集片段文件的存储位置。</translation>
    </message>
    <message>
        <source>Where the episode&apos;s files go, with the storage settings in force.</source>
        <translation>按当前生效的存储设置，采集片段文件将存储的位置。</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1（%2）</translation>
    </message>
</context>
<context>
    <name>EpisodeFilesModel</name>
    <message>
        <source>waiting</source>
        <translation>等待中</translation>
    </message>
    <message>
        <source>uploading</source>
        <translation>上传中</translation>
    </message>
    <message>
        <source>verified</source>
        <translation>已校验</translation>
    </message>
    <message>
        <source>completed</source>
        <translation>已完成</translation>
    </message>
    <message>
        <source>completed · etag not checked</source>
        <translation>已完成 · 未校验 ETag</translation>
    </message>
    <message>
        <source>%1 % · %2</source>
        <translation>%1 % · %2</translation>
    </message>
    <message>
        <source>Every part was checked against its MD5; the server gave no ETag the whole object could be checked with.</source>
        <translation>每个分片都已按其 MD5 校验；服务器未给出可用于校验整个对象的 ETag。</translation>
    </message>
    <message>
        <source>Verified bytes only: parts the storage acknowledged and the console checked.</source>
        <translation>仅计已校验的字节：存储服务已确认且控制台已校验的分片。</translation>
    </message>
    <message>
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>大小</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Verified</source>
        <translation>已校验</translation>
    </message>
    <message>
        <source>Object key</source>
        <translation>对象键</translation>
    </message>
    <message>
        <source>Upload id</source>
        <translation>上传 ID</translation>
    </message>
</context>
<context>
    <name>EpisodeLedger</name>
    <message>
        <source>there is no episode %1</source>
        <translation>没有采集片段 %1</translation>
    </message>
</context>
<context>
    <name>EpisodeLogDock</name>
    <message>
        <source>running</source>
        <translation>进行中</translation>
    </message>
    <message>
        <source>Sync log</source>
        <translation>同步日志</translation>
    </message>
    <message>
        <source>Select an episode to see its sync attempts.</source>
        <translation>选择一个采集片段以查看其同步记录。</translation>
    </message>
    <message>
        <source>Started</source>
        <translation>开始时间</translation>
    </message>
    <message>
        <source>Duration</source>
        <translation>耗时</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>结果</translation>
    </message>
    <message>
        <source>Verified</source>
        <translation>已校验</translation>
    </message>
    <message>
        <source>Error</source>
        <translation>错误</translation>
    </message>
    <message>
        <source>Episode %1 · %2</source>
        <translation>采集片段 %1 · %2</translation>
    </message>
    <message>
        <source>Episode %1</source>
        <translation>采集片段 %1</translation>
    </message>
    <message>
        <source>Cannot read the sync log: %1</source>
        <translation>无法读取同步日志：%1</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
</context>
<context>
    <name>EpisodeRegistry</name>
    <message>
        <source>the name is empty</source>
        <translation>名称为空</translation>
    </message>
    <message>
        <source>the name is longer than %1 characters</source>
        <translation>名称超过 %1 个字符</translation>
    </message>
    <message>
        <source>the name cannot be &apos;.&apos; or &apos;..&apos;</source>
        <translation>名称不能是“.”或“..”</translation>
    </message>
    <message>
        <source>the name cannot contain &apos;/&apos;, &apos;\&apos; or control characters</source>
        <translation>名称不能包含“/”、“\”或控制字符</translation>
    </message>
    <message>
        <source>%1 does not exist</source>
        <translation>%1 不存在</translation>
    </message>
    <message>
        <source>the scan of episode %1 was cancelled</source>
        <translation>采集片段 %1 的扫描已取消</translation>
    </message>
</context>
<context>
    <name>EpisodeStateMachine</name>
    <message>
        <source>cannot %1 episode %2 while it is %3</source>
        <translation>采集片段 %2 处于 %3 状态，无法执行 %1</translation>
    </message>
</context>
<context>
    <name>EpisodeSyncHooks</name>
    <message>
        <source>the catalog cannot be written: %1</source>
        <translation>本地数据库无法写入：%1</translation>
    </message>
    <message>
        <source>%1 is not a file of the episode</source>
        <translation>%1 不是该采集片段中的文件</translation>
    </message>
</context>
<context>
    <name>EpisodeTableModel</name>
    <message>
        <source>ID</source>
        <translation>ID</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>大小</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Progress</source>
        <translation>进度</translation>
    </message>
    <message>
        <source>Speed</source>
        <translation>速度</translation>
    </message>
    <message>
        <source>ETA</source>
        <translation>剩余时间</translation>
    </message>
    <message>
        <source>Attempts</source>
        <translation>尝试次数</translation>
    </message>
    <message>
        <source>Last error</source>
        <translation>最近错误</translation>
    </message>
    <message>
        <source>Synced at</source>
        <translation>同步时间</translation>
    </message>
    <message>
        <source>Solid bar: bytes the storage acknowledged and we verified.
Light bar: bytes on their way, not yet verified; they roll back if a part fails.</source>
        <translation>实心条：存储服务已确认且已校验的字节。
浅色条：正在传输、尚未校验的字节；分片失败时会回退。</translation>
    </message>
</context>
<context>
    <name>EpisodeTableView</name>
    <message>
        <source>Columns</source>
        <translation>列</translation>
    </message>
    <message>
        <source>Reset columns</source>
        <translation>恢复默认列</translation>
    </message>
</context>
<context>
    <name>ErrorHint</name>
    <message>
        <source>The storage endpoint cannot be reached. Check the network and the endpoint in Settings; uploads continue by themselves once it answers.</source>
        <translation>无法连接存储服务的 Endpoint。请检查网络和“设置”中的 Endpoint；服务恢复响应后上传会自动继续。</translation>
    </message>
    <message>
        <source>The storage rejected the credentials. Check the access key ID and the secret key in Settings (or the credentials file), then retry.</source>
        <translation>存储服务拒绝了访问凭证。请检查“设置”中（或凭证文件中）的 AccessKey ID 和 AccessKey Secret，然后重试。</translation>
    </message>
    <message>
        <source>The credentials are valid but may not write here. Ask the storage&apos;s administrator for write and multipart permissions on the bucket, then retry.</source>
        <translation>凭证有效，但没有在此写入的权限。请向存储服务管理员申请该存储空间的写入和分片上传权限，然后重试。</translation>
    </message>
    <message>
        <source>The bucket does not exist at this endpoint. Check the bucket, endpoint and region in Settings, then retry.</source>
        <translation>此 Endpoint 上不存在该存储空间（Bucket）。请检查“设置”中的存储空间、Endpoint 和地域，然后重试。</translation>
    </message>
    <message>
        <source>This computer&apos;s clock is too far from the storage&apos;s. Correct the system time (NTP), then retry.</source>
        <translation>本机时钟与存储服务的时间相差太大。请校正系统时间（NTP），然后重试。</translation>
    </message>
    <message>
        <source>The bucket or account is over its quota. Free space or raise the quota, then retry.</source>
        <translation>存储空间或账号已超出配额。请释放空间或提高配额，然后重试。</translation>
    </message>
    <message>
        <source>A file of the episode is gone from the disk. Restore it, or Rescan to continue with the files that are still there.</source>
        <translation>采集片段中的某个文件已从磁盘上消失。请恢复该文件，或“重新扫描”以用仍存在的文件继续。</translation>
    </message>
    <message>
        <source>A file of the episode changed after it was registered. Rescan to take the folder as it is now and continue with the files that did not change.</source>
        <translation>采集片段中的某个文件在登记后被修改。请“重新扫描”以按文件夹当前内容继续上传未变化的文件。</translation>
    </message>
    <message>
        <source>A local file could not be read. Check the disk and the file&apos;s permissions, then retry.</source>
        <translation>无法读取本地文件。请检查磁盘和文件权限，然后重试。</translation>
    </message>
    <message>
        <source>The catalog in the data directory cannot be written (disk full or read-only). Free space; uploads continue by themselves.</source>
        <translation>数据目录中的本地数据库无法写入（磁盘已满或只读）。请释放空间；上传会自动继续。</translation>
    </message>
    <message>
        <source>The connection to the storage broke. Uploads retry by themselves; if it keeps happening, check the network.</source>
        <translation>与存储服务的连接中断。上传会自动重试；如果反复出现，请检查网络。</translation>
    </message>
    <message>
        <source>The storage is busy or failed internally. Uploads retry by themselves.</source>
        <translation>存储服务繁忙或内部出错。上传会自动重试。</translation>
    </message>
    <message>
        <source>Data was damaged between this computer and the storage and was rejected; it is sent again by itself. If it keeps happening, check proxies and the network path.</source>
        <translation>数据在本机与存储服务之间传输时损坏并被拒绝；会自动重新发送。如果反复出现，请检查代理和网络路径。</translation>
    </message>
    <message>
        <source>The storage refused the way the file was cut into parts. Check the part size in Settings, then retry.</source>
        <translation>存储服务不接受当前的分片方式。请检查“设置”中的分片大小，然后重试。</translation>
    </message>
    <message>
        <source>Retry the episode; if it fails again, the message above and the storage&apos;s logs say more.</source>
        <translation>请重试该采集片段；如果再次失败，上面的消息和存储服务的日志会给出更多信息。</translation>
    </message>
</context>
<context>
    <name>FailureReporter</name>
    <message>
        <source>keystone-console %1: cannot reach the Keystone Console API at %2 (%3); is it running? Start it with &apos;keystone-console --server&apos;, or pass the --listen/--data-dir of the running instance</source>
        <translation>keystone-console %1：无法连接 %2 上的 Keystone Console API（%3）；它在运行吗？请用“keystone-console --server”启动，或传入正在运行的实例的 --listen/--data-dir</translation>
    </message>
    <message>
        <source>keystone-console %1: the API at %2 refused the token from %3 (HTTP %4: %5)%6; use the --data-dir of the running instance or --token-file</source>
        <translation>keystone-console %1：%2 上的 API 拒绝了来自 %3 的令牌（HTTP %4：%5）%6；请使用正在运行的实例的 --data-dir，或使用 --token-file</translation>
    </message>
    <message>
        <source>; the token file cannot be read: %1</source>
        <translation>；无法读取令牌文件：%1</translation>
    </message>
    <message>
        <source>keystone-console %1: %2; the token was not sent</source>
        <translation>keystone-console %1：%2；未发送令牌</translation>
    </message>
</context>
<context>
    <name>FileTypeName</name>
    <message>
        <source>symbolic link</source>
        <translation>符号链接</translation>
    </message>
    <message>
        <source>FIFO</source>
        <translation>FIFO</translation>
    </message>
    <message>
        <source>socket</source>
        <translation>套接字</translation>
    </message>
    <message>
        <source>character device</source>
        <translation>字符设备</translation>
    </message>
    <message>
        <source>block device</source>
        <translation>块设备</translation>
    </message>
    <message>
        <source>folder</source>
        <translation>文件夹</translation>
    </message>
    <message>
        <source>special file</source>
        <translation>特殊文件</translation>
    </message>
</context>
<context>
    <name>FixedSettings</name>
    <message>
        <source>the command line (%1)</source>
        <translation>命令行（%1）</translation>
    </message>
    <message>
        <source>the config file %1 (%2)</source>
        <translation>配置文件 %1（%2）</translation>
    </message>
    <message>
        <source>Greyed-out values are set by %1; edit the command line to change them.</source>
        <translation>灰色的值由%1设定；要修改，请编辑命令行。</translation>
    </message>
    <message>
        <source>Greyed-out values are set by %1; edit that file to change them.</source>
        <translation>灰色的值由%1设定；要修改，请编辑该文件。</translation>
    </message>
    <message>
        <source>Greyed-out values are set by %1 and %2; edit those to change them.</source>
        <translation>灰色的值由%1和%2设定；要修改，请编辑它们。</translation>
    </message>
    <message>
        <source>Set by %1; edit the command line to change it.</source>
        <translation>由%1设定；要修改，请编辑命令行。</translation>
    </message>
    <message>
        <source>Set by %1; edit that file to change it.</source>
        <translation>由%1设定；要修改，请编辑该文件。</translation>
    </message>
    <message>
        <source>Set by %1 and %2; edit those to change it.</source>
        <translation>由%1和%2设定；要修改，请编辑它们。</translation>
    </message>
</context>
<context>
    <name>GuiCommand</name>
    <message>
        <source>Keystone Console: upload robot episodes to S3-compatible storage.</source>
        <translation>Keystone Console：将机器人采集片段上传到 S3 兼容存储。</translation>
    </message>
    <message>
        <source>%1 (or save storage settings in the console first)</source>
        <translation>%1（或先在控制台中保存存储设置）</translation>
    </message>
    <message>
        <source>credentials: %1</source>
        <translation>访问凭证：%1</translation>
    </message>
    <message>
        <source>Keystone Console</source>
        <translation>Keystone Console</translation>
    </message>
    <message>
        <source>The settings were saved but not applied: %1</source>
        <translation>设置已保存，但未生效：%1</translation>
    </message>
    <message>
        <source>New settings in force.</source>
        <translation>新设置已生效。</translation>
    </message>
    <message>
        <source>keystone-console: %1</source>
        <translation>keystone-console：%1</translation>
    </message>
    <message>
        <source>No secret key for access key %1: %2 holds the key of %3. Enter the secret key, or use that id.</source>
        <translation>AccessKey %1 没有 AccessKey Secret：%2 中保存的是 %3 的密钥。请输入 AccessKey Secret，或改用该 ID。</translation>
    </message>
    <message>
        <source>keychain (access key %1)</source>
        <translation>系统密钥环（AccessKey %1）</translation>
    </message>
</context>
<context>
    <name>HelpBrowser</name>
    <message>
        <source>Keystone Console Help</source>
        <translation>Keystone Console 帮助</translation>
    </message>
    <message>
        <source>*The command line is described in `man keystone-console`.*</source>
        <extracomment>first line of the help window, above the README</extracomment>
        <translation>*命令行用法见 `man keystone-console`。*</translation>
    </message>
</context>
<context>
    <name>HttpConnection</name>
    <message>
        <source>not connected</source>
        <translation>未连接</translation>
    </message>
    <message>
        <source>the answer&apos;s headers are too long</source>
        <translation>应答的头部过长</translation>
    </message>
    <message>
        <source>the connection closed without an answer</source>
        <translation>连接在应答前关闭</translation>
    </message>
    <message>
        <source>not an HTTP answer</source>
        <translation>不是 HTTP 应答</translation>
    </message>
    <message>
        <source>an answer in Transfer-Encoding %1, which this client does not read</source>
        <translation>应答使用了 Transfer-Encoding %1，此客户端无法读取</translation>
    </message>
    <message>
        <source>the connection closed in the answer&apos;s body</source>
        <translation>连接在应答正文中途关闭</translation>
    </message>
</context>
<context>
    <name>LocalApiClient</name>
    <message>
        <source>no answer within %1 s</source>
        <translation>%1 秒内没有应答</translation>
    </message>
    <message>
        <source>cannot check that the server at %1 is the instance of the token: %2</source>
        <translation>无法确认 %1 上的服务器是否就是该令牌对应的实例：%2</translation>
    </message>
    <message>
        <source>the server at %1 did not prove it is the instance whose identity is in %2 (%3); another program may hold the port</source>
        <translation>%1 上的服务器未能证明自己是身份记录在 %2 中的实例（%3）；可能有其他程序占用了该端口</translation>
    </message>
    <message>
        <source>no proof in its /health answer</source>
        <translation>其 /health 应答中没有证明</translation>
    </message>
    <message>
        <source>a wrong proof</source>
        <translation>证明不正确</translation>
    </message>
    <message>
        <source>the answer to %1 is not a JSON object</source>
        <translation>对 %1 的应答不是 JSON 对象</translation>
    </message>
    <message>
        <source>HTTP %1 %2</source>
        <translation>HTTP %1 %2</translation>
    </message>
</context>
<context>
    <name>LogLevel</name>
    <message>
        <source>--log-level must be debug, info, warning or error, not &apos;%1&apos;</source>
        <translation>--log-level 必须是 debug、info、warning 或 error，而不是“%1”</translation>
    </message>
</context>
<context>
    <name>Main</name>
    <message>
        <source>keystone-console %1
Usage: keystone-console [options]            the desktop console
       keystone-console --server [options]   headless: sync engine and local API
       keystone-console upload [options] PATH s3://BUCKET/KEY
       keystone-console credentials set|clear [--access-key-id ID]
       keystone-console add|sync|status|cancel|retry|pause|resume|list|watch ...   scripts: talk to a running instance
Each mode has --help.
</source>
        <translation>keystone-console %1
用法：keystone-console [选项]            桌面控制台
      keystone-console --server [选项]   无界面运行：同步引擎和本地 API
      keystone-console upload [选项] PATH s3://BUCKET/KEY
      keystone-console credentials set|clear [--access-key-id ID]
      keystone-console add|sync|status|cancel|retry|pause|resume|list|watch ...   供脚本使用：与正在运行的实例通信
每种模式都有 --help。
</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>All episodes</source>
        <translation>全部采集片段</translation>
    </message>
    <message>
        <source>%1 </source>
        <translation>%1 </translation>
    </message>
    <message>
        <source>No episodes yet: drop a folder or file here</source>
        <translation>还没有采集片段：把文件夹或文件拖到这里</translation>
    </message>
    <message>
        <source> — %1</source>
        <translation> — %1</translation>
    </message>
    <message>
        <source> — paused</source>
        <translation> — 已暂停</translation>
    </message>
    <message>
        <source> — storage %1</source>
        <translation> — 存储服务 %1</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>Search name, id, path, error… (Ctrl+F)</source>
        <translation>搜索名称、ID、路径、错误…（Ctrl+F）</translation>
    </message>
</context>
<context>
    <name>MainWindowActions</name>
    <message>
        <source>%1 (%2)</source>
        <translation>%1（%2）</translation>
    </message>
    <message>
        <source>Add &amp;files…</source>
        <translation>添加文件(&amp;F)…</translation>
    </message>
    <message>
        <source>Add f&amp;older…</source>
        <translation>添加文件夹(&amp;O)…</translation>
    </message>
    <message>
        <source>&amp;Sync now</source>
        <translation>立即同步(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Pause</source>
        <translation>暂停(&amp;P)</translation>
    </message>
    <message>
        <source>Pause the selected episodes; their verified parts stay (Ctrl+P)</source>
        <translation>暂停所选采集片段；已校验的分片会保留（Ctrl+P）</translation>
    </message>
    <message>
        <source>Resu&amp;me</source>
        <translation>继续(&amp;M)</translation>
    </message>
    <message>
        <source>&amp;Retry</source>
        <translation>重试(&amp;R)</translation>
    </message>
    <message>
        <source>Re&amp;scan</source>
        <translation>重新扫描(&amp;S)</translation>
    </message>
    <message>
        <source>Re-read the episode&apos;s folder and continue with the files that did not change</source>
        <translation>重新读取该采集片段的文件夹，继续上传未变化的文件</translation>
    </message>
    <message>
        <source>Move to &amp;top</source>
        <translation>移到最前(&amp;T)</translation>
    </message>
    <message>
        <source>Upload the selected pending episodes before every other pending one</source>
        <translation>让选中的等待中采集片段先于其他所有等待中的采集片段上传</translation>
    </message>
    <message>
        <source>&amp;Cancel</source>
        <translation>取消(&amp;C)</translation>
    </message>
    <message>
        <source>Remove from &amp;list</source>
        <translation>从列表中移除(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Pause all</source>
        <translation>全部暂停(&amp;P)</translation>
    </message>
    <message>
        <source>Res&amp;ume all</source>
        <translation>全部继续(&amp;U)</translation>
    </message>
    <message>
        <source>Recordin&amp;g mode</source>
        <translation>录制模式(&amp;G)</translation>
    </message>
    <message>
        <source>While recording, uploads yield the disk and the uplink to the recorder</source>
        <translation>录制期间，上传把磁盘和上行带宽让给录制程序</translation>
    </message>
    <message>
        <source>Open local &amp;folder</source>
        <translation>打开本地文件夹(&amp;F)</translation>
    </message>
    <message>
        <source>Copy object &amp;URL</source>
        <translation>复制对象 URL(&amp;U)</translation>
    </message>
    <message>
        <source>Se&amp;ttings…</source>
        <translation>设置(&amp;T)…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>Keystone Console &amp;Help</source>
        <translation>Keystone Console 帮助(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;About Keystone Console</source>
        <translation>关于 Keystone Console(&amp;A)</translation>
    </message>
    <message>
        <source>About &amp;Qt</source>
        <translation>关于 Qt(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Episode</source>
        <translation>采集片段(&amp;E)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>Episodes</source>
        <translation>采集片段</translation>
    </message>
</context>
<context>
    <name>OptionValues</name>
    <message>
        <source>cannot read config file %1</source>
        <translation>无法读取配置文件 %1</translation>
    </message>
    <message>
        <source>config file %1 is not a valid INI file</source>
        <translation>配置文件 %1 不是有效的 INI 文件</translation>
    </message>
    <message>
        <source>config file %1: unknown key &apos;%2&apos; (known keys: %3)</source>
        <translation>配置文件 %1：未知的键“%2”（已知的键：%3）</translation>
    </message>
    <message>
        <source>config file %1: %2 must be true or false, not &apos;%3&apos;</source>
        <translation>配置文件 %1：%2 必须是 true 或 false，而不是“%3”</translation>
    </message>
    <message>
        <source>Read options from this INI file (command-line options win).</source>
        <translation>从此 INI 文件读取选项（命令行选项优先）。</translation>
    </message>
    <message>
        <source>Log to stderr from this level on: debug, info, warning (default) or error.</source>
        <translation>将此级别及以上的日志写到标准错误：debug、info、warning（默认）或 error。</translation>
    </message>
</context>
<context>
    <name>PlainTextEndpoint</name>
    <message>
        <source>the storage endpoint %1 is plain http:// to another machine: everything uploaded crosses the network unencrypted, and parts are sent UNSIGNED-PAYLOAD (not covered by the request signature), so anyone on the way can read or change them. Use https:// unless this network is trusted.</source>
        <translation>存储服务的 Endpoint %1 是指向另一台机器的明文 http://：上传的所有内容都以未加密形式经过网络，而且分片以 UNSIGNED-PAYLOAD 发送（不受请求签名保护），途中任何人都能读取或篡改。除非该网络可信，否则请使用 https://。</translation>
    </message>
</context>
<context>
    <name>ProgressText</name>
    <message>
        <source>%1 B</source>
        <translation>%1 B</translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <extracomment>committed of total, e.g. &quot;1.02 GiB of 2.10 GiB&quot;</extracomment>
        <translation>%1 / %2</translation>
    </message>
    <message>
        <source>%1/s</source>
        <translation>%1/s</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 秒</translation>
    </message>
    <message>
        <source>%1 min %2 s</source>
        <translation>%1 分 %2 秒</translation>
    </message>
    <message>
        <source>%1 h %2 min</source>
        <translation>%1 小时 %2 分</translation>
    </message>
    <message>
        <source>%1 episode</source>
        <translation>%1 个采集片段</translation>
    </message>
    <message>
        <source>%1 episodes</source>
        <translation>%1 个采集片段</translation>
    </message>
    <message>
        <source>%1 file</source>
        <translation>%1 个文件</translation>
    </message>
    <message>
        <source>%1 files</source>
        <translation>%1 个文件</translation>
    </message>
    <message>
        <source>%1 part</source>
        <translation>%1 个分片</translation>
    </message>
    <message>
        <source>%1 parts</source>
        <translation>%1 个分片</translation>
    </message>
    <message>
        <source>%1 attempt</source>
        <translation>%1 次尝试</translation>
    </message>
    <message>
        <source>%1 attempts</source>
        <translation>%1 次尝试</translation>
    </message>
    <message>
        <source>%1 object URL</source>
        <translation>%1 个对象 URL</translation>
    </message>
    <message>
        <source>%1 object URLs</source>
        <translation>%1 个对象 URL</translation>
    </message>
    <message>
        <source>%1 · %2</source>
        <translation>%1 · %2</translation>
    </message>
    <message>
        <source>%1 % · %2</source>
        <extracomment>progress: percent · committed of total</extracomment>
        <translation>%1 % · %2</translation>
    </message>
    <message>
        <source>now</source>
        <translation>现在</translation>
    </message>
    <message>
        <source>in %1</source>
        <translation>%1后</translation>
    </message>
</context>
<context>
    <name>QObject</name>
    <message>
        <source>%1 is missing</source>
        <translation>%1 不存在了</translation>
    </message>
    <message>
        <source>%1 is now a %2</source>
        <translation>%1 现在是%2</translation>
    </message>
    <message>
        <source>cannot open %1: %2</source>
        <translation>无法打开 %1：%2</translation>
    </message>
    <message>
        <source>%1 is not a path below %2</source>
        <translation>%1 不是 %2 下的路径</translation>
    </message>
    <message>
        <source>%1 is now a different file (device or inode changed since it was registered)</source>
        <translation>%1 现在是另一个文件（登记后设备号或 inode 已变化）</translation>
    </message>
    <message>
        <source>%1 changed size since it was registered (%2 bytes then, %3 now)</source>
        <translation>%1 的大小在登记后发生了变化（当时 %2 字节，现在 %3 字节）</translation>
    </message>
    <message>
        <source>%1 changed since it was registered (modification time)</source>
        <translation>%1 在登记后发生了变化（修改时间）</translation>
    </message>
    <message>
        <source>cannot check %1: %2</source>
        <translation>无法检查 %1：%2</translation>
    </message>
    <message>
        <source>%1 was deleted or replaced during the upload</source>
        <translation>%1 在上传过程中被删除或替换</translation>
    </message>
    <message>
        <source>%1 changed during the upload</source>
        <translation>%1 在上传过程中发生了变化</translation>
    </message>
    <message>
        <source>AWS S3</source>
        <translation>AWS S3</translation>
    </message>
    <message>
        <source>Alibaba Cloud OSS</source>
        <translation>阿里云 OSS</translation>
    </message>
    <message>
        <source>Cloudflare R2</source>
        <translation>Cloudflare R2</translation>
    </message>
    <message>
        <source>Backblaze B2</source>
        <translation>Backblaze B2</translation>
    </message>
    <message>
        <source>Wasabi</source>
        <translation>Wasabi</translation>
    </message>
    <message>
        <source>MinIO / S3</source>
        <translation>MinIO / S3</translation>
    </message>
    <message>
        <source>Cloudflare R2 needs the account&apos;s endpoint: %1</source>
        <translation>Cloudflare R2 需要账号的 Endpoint：%1</translation>
    </message>
    <message>
        <source>Backblaze B2 needs the bucket&apos;s region (e.g. us-west-004) or its endpoint, %1</source>
        <translation>Backblaze B2 需要存储空间所在的地域（如 us-west-004）或其 Endpoint，%1</translation>
    </message>
    <message>
        <source>invalid endpoint &apos;%1&apos; (expected http(s)://host[:port])</source>
        <translation>无效的 Endpoint“%1”（应为 http(s)://host[:port]）</translation>
    </message>
    <message>
        <source>no region: give one, or an endpoint it can be read from</source>
        <translation>没有地域：请指定地域，或指定可从中读出地域的 Endpoint</translation>
    </message>
    <message>
        <source>Alibaba OSS needs virtual-hosted addressing (bucket.endpoint); path style is refused</source>
        <translation>阿里云 OSS 需要虚拟主机形式的访问方式（bucket.endpoint）；不接受路径形式</translation>
    </message>
    <message>
        <source>signature version v1 exists only for Alibaba OSS</source>
        <translation>签名版本 v1 仅适用于阿里云 OSS</translation>
    </message>
    <message>
        <source>cannot read %1: %2</source>
        <translation>无法读取 %1：%2</translation>
    </message>
    <message>
        <source>%1 became shorter during the upload</source>
        <translation>%1 在上传过程中变短了</translation>
    </message>
    <message>
        <source>%1 does not exist</source>
        <translation>%1 不存在</translation>
    </message>
    <message>
        <source>%1 is not readable</source>
        <translation>%1 不可读</translation>
    </message>
    <message>
        <source>%1 is a symbolic link: register the file it points to</source>
        <translation>%1 是符号链接：请登记它所指向的文件</translation>
    </message>
    <message>
        <source>%1 is neither a file nor a folder (a %2)</source>
        <translation>%1 既不是文件也不是文件夹（而是%2）</translation>
    </message>
    <message>
        <source>%1 holds more than %2 files, the limit for one episode (--max-files-per-episode)</source>
        <translation>%1 中的文件超过 %2 个，即单个采集片段的上限（--max-files-per-episode）</translation>
    </message>
    <message>
        <source> and %1 more</source>
        <translation> 等另外 %1 个</translation>
    </message>
    <message>
        <source>%1 holds entries that are not regular files (symbolic links, FIFOs, sockets or devices are never uploaded): %2%3</source>
        <translation>%1 中有不是普通文件的条目（符号链接、FIFO、套接字或设备永远不会上传）：%2%3</translation>
    </message>
    <message>
        <source>%1 contains no files</source>
        <translation>%1 中没有文件</translation>
    </message>
    <message>
        <source>part %1: the server&apos;s ETag %2 does not match the MD5 %3 of what was sent</source>
        <translation>分片 %1：服务器返回的 ETag %2 与所发送数据的 MD5 %3 不一致</translation>
    </message>
    <message>
        <source>part %1</source>
        <translation>分片 %1</translation>
    </message>
    <message>
        <source>the completed object&apos;s CRC-64 %1 is not the %2 our verified parts make</source>
        <translation>合并后对象的 CRC-64 %1 与已校验分片计算出的 %2 不一致</translation>
    </message>
    <message>
        <source>the completed object&apos;s ETag %1 is not the %2 our verified parts make</source>
        <translation>合并后对象的 ETag %1 与已校验分片计算出的 %2 不一致</translation>
    </message>
    <message>
        <source>HEAD of the completed object failed: %1</source>
        <translation>对合并后对象的 HEAD 请求失败：%1</translation>
    </message>
    <message>
        <source>the completed object has %1 bytes, the file %2</source>
        <translation>合并后的对象有 %1 字节，而文件有 %2 字节</translation>
    </message>
    <message>
        <source>neither CompleteMultipartUpload nor HEAD gave a checkable ETag (HEAD&apos;s: &quot;%1&quot;)</source>
        <translation>CompleteMultipartUpload 和 HEAD 都没有给出可校验的 ETag（HEAD 返回：“%1”）</translation>
    </message>
    <message>
        <source>%1: the server&apos;s CRC-64 %2 does not match the CRC-64 %3 of what was sent</source>
        <translation>%1：服务器返回的 CRC-64 %2 与所发送数据的 CRC-64 %3 不一致</translation>
    </message>
    <message>
        <source>the server acknowledged the upload without an ETag</source>
        <translation>服务器确认了上传，但没有返回 ETag</translation>
    </message>
    <message>
        <source>ListParts paging does not advance</source>
        <translation>ListParts 分页没有前进</translation>
    </message>
    <message>
        <source>%1: the server&apos;s ETag does not match what was sent</source>
        <translation>%1：服务器返回的 ETag 与所发送的数据不一致</translation>
    </message>
</context>
<context>
    <name>ReadingVerbs</name>
    <message>
        <source>keystone-console status: episode %1 not found</source>
        <translation>keystone-console status：找不到采集片段 %1</translation>
    </message>
    <message>
        <source>episode %1</source>
        <translation>采集片段 %1</translation>
    </message>
    <message>
        <source>keystone-console watch: no episode is pending or uploading</source>
        <translation>keystone-console watch：没有等待中或上传中的采集片段</translation>
    </message>
</context>
<context>
    <name>ScriptCommand</name>
    <message>
        <source>Register a file or folder as an episode and queue it; prints the new episode id.</source>
        <translation>将文件或文件夹登记为采集片段并加入队列；输出新采集片段的 ID。</translation>
    </message>
    <message>
        <source>Queue episodes now (failed or cancelled ones get a fresh attempt budget).</source>
        <translation>立即将采集片段加入队列（失败或已取消的采集片段获得新的尝试次数）。</translation>
    </message>
    <message>
        <source>Show the status of episodes.</source>
        <translation>显示采集片段的状态。</translation>
    </message>
    <message>
        <source>Cancel pending or uploading episodes.</source>
        <translation>取消等待中或上传中的采集片段。</translation>
    </message>
    <message>
        <source>Queue failed or cancelled episodes again.</source>
        <translation>将失败或已取消的采集片段重新加入队列。</translation>
    </message>
    <message>
        <source>Re-read the episodes&apos; folders and continue with the files that did not change (after a file changed or went missing).</source>
        <translation>重新读取采集片段的文件夹，继续上传未变化的文件（用于文件被修改或丢失之后）。</translation>
    </message>
    <message>
        <source>Set an episode&apos;s priority (-1000 to 1000, default 0): higher starts first among pending episodes.</source>
        <translation>设置采集片段的优先级（-1000 到 1000，默认 0）：等待中的采集片段里优先级高的先开始。</translation>
    </message>
    <message>
        <source>List episodes.</source>
        <translation>列出采集片段。</translation>
    </message>
    <message>
        <source>Show live progress until every watched episode (default: all pending or uploading ones) is completed, failed or cancelled.</source>
        <translation>显示实时进度，直到所有被关注的采集片段（默认：所有等待中或上传中的）完成、失败或被取消。</translation>
    </message>
    <message>
        <source>unknown verb &apos;%1&apos;</source>
        <translation>未知的动作“%1”</translation>
    </message>
    <message>
        <source>
Talks to a running keystone-console (--server or the desktop console) through its local API.
</source>
        <translation>
通过本地 API 与正在运行的 keystone-console（--server 或桌面控制台）通信。
</translation>
    </message>
    <message>
        <source>The verb.</source>
        <translation>动作。</translation>
    </message>
    <message>
        <source>add needs exactly one PATH</source>
        <translation>add 只需要一个 PATH</translation>
    </message>
    <message>
        <source>list takes no operands (filter with --status)</source>
        <translation>list 不接受操作数（用 --status 筛选）</translation>
    </message>
    <message>
        <source>&apos;%1&apos; is not an episode id (a positive integer)</source>
        <translation>“%1”不是采集片段 ID（应为正整数）</translation>
    </message>
    <message>
        <source>%1 needs at least one episode id</source>
        <translation>%1 至少需要一个采集片段 ID</translation>
    </message>
    <message>
        <source>episode %1</source>
        <translation>采集片段 %1</translation>
    </message>
    <message>
        <source>priority needs an episode id and a priority</source>
        <translation>priority 需要一个采集片段 ID 和一个优先级</translation>
    </message>
    <message>
        <source>&apos;%1&apos; is not a priority (an integer from -1000 to 1000)</source>
        <translation>“%1”不是优先级（应为 -1000 到 1000 之间的整数）</translation>
    </message>
    <message>
        <source>keystone-console %1: %2 (see: keystone-console %1 --help)</source>
        <translation>keystone-console %1：%2（参见：keystone-console %1 --help）</translation>
    </message>
    <message>
        <source>The API token of the instance (default: &lt;data-dir&gt;/api-token).</source>
        <translation>实例的 API 令牌（默认：&lt;data-dir&gt;/api-token）。</translation>
    </message>
    <message>
        <source>Episode name: unique, one path segment (default: the file or folder name).</source>
        <translation>采集片段名称：唯一，且为单个路径段（默认：文件或文件夹的名称）。</translation>
    </message>
    <message>
        <source>Print the API&apos;s JSON (one line) instead of a table.</source>
        <translation>输出 API 的 JSON（一行），而不是表格。</translation>
    </message>
    <message>
        <source>Only episodes in this state (pending, in_progress, completed, failed, cancelled) or at this stage (queued, starting, resuming, uploading, completing, writing_manifest, waiting_retry, waiting_storage, paused).</source>
        <translation>只显示处于此状态（pending、in_progress、completed、failed、cancelled）或此阶段（queued、starting、resuming、uploading、completing、writing_manifest、waiting_retry、waiting_storage、paused）的采集片段。</translation>
    </message>
    <message>
        <source>Pause pending or uploading episodes: an upload stops at once, its verified parts are kept, and the episode is not started again until resumed (also across restarts).</source>
        <translation>暂停等待中或上传中的采集片段：上传立即停止，已校验的分片会保留，采集片段在继续之前不会再次开始（重启后同样如此）。</translation>
    </message>
    <message>
        <source>Resume paused episodes: they are queued again and continue from their verified parts.</source>
        <translation>继续已暂停的采集片段：它们重新加入队列，并从已校验的分片继续。</translation>
    </message>
    <message>
        <source>
Exit codes:
  0  done
  1  refused or failed: the API answered 409 or another error (e.g. cancel or pause a completed episode, a
     name already taken), or a watched episode ended failed or cancelled
  2  usage: bad arguments, episode ids that are not positive integers, a path the API refuses
  3  not found: an episode id is unknown
  4  server unreachable: nothing answers at the API address (start: keystone-console --server)
  5  authentication failed: the API refused the token (HTTP 401/403)
  6  not the instance: the server at the TCP address did not prove it is the instance of the token
     (its data directory&apos;s server-identity file); the token was not sent
</source>
        <translation>
退出码：
  0  完成
  1  被拒绝或失败：API 返回 409 或其他错误（例如取消或暂停已完成的采集片段、
     名称已被占用），或被关注的采集片段最终失败或被取消
  2  用法错误：参数错误、采集片段 ID 不是正整数、API 拒绝的路径
  3  未找到：采集片段 ID 不存在
  4  无法连接服务器：API 地址上没有应答（启动：keystone-console --server）
  5  认证失败：API 拒绝了令牌（HTTP 401/403）
  6  不是该实例：TCP 地址上的服务器未能证明自己是令牌对应的实例
     （其数据目录中的 server-identity 文件）；未发送令牌
</translation>
    </message>
    <message>
        <source>Recording mode: &apos;recording&apos; makes uploads yield to a recorder on this station (the recording limit, one part in flight per episode; --limit 0 holds them) until &apos;off&apos; or --for runs out. Without an operand: show the mode and the limit in force.</source>
        <translation>录制模式：&apos;recording&apos; 让上传让行于本工作站上的录制程序（录制上限，每个采集片段同时一个分片；--limit 0 则暂停上传），直到 &apos;off&apos; 或 --for 时长用完。不带操作数：显示当前模式和生效的上限。</translation>
    </message>
    <message>
        <source>Upload limit while recording, e.g. 5M (bytes per second; 0 holds uploads). Default: the configured --recording-limit, else a tenth of the measured uplink.</source>
        <translation>录制期间的上传上限，如 5M（每秒字节数；0 表示暂停上传）。默认：配置的 --recording-limit，否则为实测上行带宽的十分之一。</translation>
    </message>
    <message>
        <source>End recording mode by itself after this long: 90s, 30m, 2h.</source>
        <translation>经过这段时间后自动结束录制模式：90s、30m、2h。</translation>
    </message>
    <message>
        <source>throttle takes &apos;recording&apos;, &apos;off&apos; or nothing</source>
        <translation>throttle 只接受 &apos;recording&apos;、&apos;off&apos; 或不带操作数</translation>
    </message>
    <message>
        <source>--limit and --for go with &apos;throttle recording&apos;</source>
        <translation>--limit 和 --for 只能与 &apos;throttle recording&apos; 一起使用</translation>
    </message>
</context>
<context>
    <name>ServerCommand</name>
    <message>
        <source>Run the sync engine and the local HTTP API without a display.</source>
        <translation>在没有显示器的情况下运行同步引擎和本地 HTTP API。</translation>
    </message>
    <message>
        <source>Run headless.</source>
        <translation>无界面运行。</translation>
    </message>
    <message>
        <source>On SIGTERM/SIGINT, let parts in flight finish for up to this many seconds (default 10).</source>
        <translation>收到 SIGTERM/SIGINT 时，让正在传输的分片最多再完成这么多秒（默认 10）。</translation>
    </message>
    <message>
        <source>keystone-console --server: %1</source>
        <translation>keystone-console --server：%1</translation>
    </message>
    <message>
        <source>keystone-console --server: --shutdown-grace must be between 0 and 3600</source>
        <translation>keystone-console --server：--shutdown-grace 必须在 0 到 3600 之间</translation>
    </message>
    <message>
        <source>credentials: %1</source>
        <translation>访问凭证：%1</translation>
    </message>
    <message>
        <source>file descriptors: up to %1 (hard limit %2); the API keeps %3 free and holds at most %4 connections</source>
        <translation>文件描述符：最多 %1 个（硬限制 %2）；API 保留 %3 个空闲，最多保持 %4 个连接</translation>
    </message>
    <message>
        <source>stopping: parts in flight may finish for up to %1 s (signal again to stop now)</source>
        <translation>正在停止：正在传输的分片最多还可用 %1 秒完成（再次发送信号可立即停止）</translation>
    </message>
    <message>
        <source>stopped; unfinished uploads resume at the next start</source>
        <translation>已停止；未完成的上传将在下次启动时继续</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>Enter a bucket name.</source>
        <translation>请输入存储空间（Bucket）名称。</translation>
    </message>
    <message>
        <source>Enter the access key ID and the secret key.</source>
        <translation>请输入 AccessKey ID 和 AccessKey Secret。</translation>
    </message>
    <message>
        <source>Enter the access key ID; no secret key for it was found in the environment or the credentials file.</source>
        <translation>请输入 AccessKey ID；在环境变量或凭证文件中没有找到它的 AccessKey Secret。</translation>
    </message>
    <message>
        <source>Enter the access key ID the secret key belongs to.</source>
        <translation>请输入该 AccessKey Secret 所属的 AccessKey ID。</translation>
    </message>
    <message>
        <source>Saving the secret key in the keychain…</source>
        <translation>正在将 AccessKey Secret 保存到密钥环…</translation>
    </message>
    <message>
        <source>The secret key was not saved: there is no keychain on this system.</source>
        <translation>AccessKey Secret 未保存：此系统没有密钥环。</translation>
    </message>
    <message>
        <source>The secret key was not saved: %1</source>
        <translation>AccessKey Secret 未保存：%1</translation>
    </message>
    <message>
        <source>Bandwidth schedule: %1</source>
        <translation>带宽时间表：%1</translation>
    </message>
    <message>
        <source>Recording limit: enter a rate such as 5M, 0 to hold uploads, or nothing for automatic.</source>
        <translation>录制上限：请输入速率（如 5M），0 表示暂停上传，留空表示自动。</translation>
    </message>
</context>
<context>
    <name>StatusFormatter</name>
    <message>
        <source>ID</source>
        <translation>ID</translation>
    </message>
    <message>
        <source>NAME</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>STATE</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>PROGRESS</source>
        <translation>进度</translation>
    </message>
    <message>
        <source>COMMITTED/TOTAL</source>
        <translation>已校验/总计</translation>
    </message>
    <message>
        <source>SPEED</source>
        <translation>速度</translation>
    </message>
    <message>
        <source>ETA</source>
        <translation>剩余时间</translation>
    </message>
    <message>
        <source>ERROR</source>
        <translation>错误</translation>
    </message>
    <message>
        <source>ETA %1</source>
        <translation>剩余 %1</translation>
    </message>
    <message>
        <source>%1 %</source>
        <translation>%1 %</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1（%2）</translation>
    </message>
    <message>
        <source>pausing</source>
        <translation>正在暂停</translation>
    </message>
    <message>
        <source>paused until resumed</source>
        <translation>已暂停，等待继续</translation>
    </message>
    <message>
        <source>normal</source>
        <translation>正常</translation>
    </message>
    <message>
        <source>recording (a watched folder is growing)</source>
        <translation>录制中（监视的文件夹仍在增长）</translation>
    </message>
    <message>
        <source>recording (asked)</source>
        <translation>录制中（手动开启）</translation>
    </message>
    <message>
        <source>uploads hold</source>
        <translation>上传暂停</translation>
    </message>
    <message>
        <source>limit %1</source>
        <translation>上限 %1</translation>
    </message>
    <message>
        <source>no limit</source>
        <translation>不限速</translation>
    </message>
    <message>
        <source>1 part per episode</source>
        <translation>每个采集片段 1 个分片</translation>
    </message>
    <message>
        <source>until %1</source>
        <translation>至 %1</translation>
    </message>
    <message>
        <source>schedule slot %1</source>
        <translation>时间表时段 %1</translation>
    </message>
</context>
<context>
    <name>StorageCommandLine</name>
    <message>
        <source>unknown provider &apos;%1&apos; (use aws, oss, r2, b2, wasabi or custom)</source>
        <translation>未知的服务商“%1”（可用 aws、oss、r2、b2、wasabi 或 custom）</translation>
    </message>
    <message>
        <source>--part-size must be between 100K (Alibaba OSS&apos;s minimum part size) and 5G</source>
        <translation>--part-size 必须在 100K（阿里云 OSS 的最小分片大小）和 5G 之间</translation>
    </message>
    <message>
        <source>--part-size must be between 5M (S3&apos;s minimum part size) and 5G</source>
        <translation>--part-size 必须在 5M（S3 的最小分片大小）和 5G 之间</translation>
    </message>
    <message>
        <source>invalid --single-put-threshold</source>
        <translation>无效的 --single-put-threshold</translation>
    </message>
    <message>
        <source>invalid --bandwidth-limit</source>
        <translation>无效的 --bandwidth-limit</translation>
    </message>
    <message>
        <source>--max-attempts must be between 1 and 100</source>
        <translation>--max-attempts 必须在 1 到 100 之间</translation>
    </message>
    <message>
        <source>cannot read the %1 region from the endpoint host &apos;%2&apos; (not %3): give --region</source>
        <translation>无法从 Endpoint 主机名“%2”中读出 %1 的地域（不是 %3）：请指定 --region</translation>
    </message>
    <message>
        <source>unknown signature version &apos;%1&apos; (use v4 or v1)</source>
        <translation>未知的签名版本“%1”（可用 v4 或 v1）</translation>
    </message>
    <message>
        <source>--signature-version applies only to --provider oss (Alibaba OSS&apos;s native protocol)</source>
        <translation>--signature-version 仅适用于 --provider oss（阿里云 OSS 原生协议）</translation>
    </message>
    <message>
        <source>--path-style and --virtual-hosted exclude each other</source>
        <translation>--path-style 和 --virtual-hosted 不能同时使用</translation>
    </message>
    <message>
        <source>S3 endpoint URL (default: $AWS_ENDPOINT_URL or the provider&apos;s).</source>
        <translation>S3 访问域名（Endpoint）URL（默认：$AWS_ENDPOINT_URL 或服务商的默认值）。</translation>
    </message>
    <message>
        <source>Signing region (default: $AWS_REGION or the provider&apos;s; with --provider oss, b2 or wasabi: read from the endpoint host, e.g. cn-hangzhou from oss-cn-hangzhou.aliyuncs.com; $AWS_REGION is used only with aws and custom).</source>
        <translation>签名地域（默认：$AWS_REGION 或服务商的默认值；--provider 为 oss、b2 或 wasabi 时从 Endpoint 主机名读出，例如从 oss-cn-hangzhou.aliyuncs.com 读出 cn-hangzhou；$AWS_REGION 仅用于 aws 和 custom）。</translation>
    </message>
    <message>
        <source>Provider preset: aws, oss, r2, b2, wasabi or custom (default: custom). oss is Alibaba Cloud OSS&apos;s native protocol (virtual-hosted); OSS&apos;s S3-compatible API is --provider custom --endpoint https://oss-&lt;region&gt;.aliyuncs.com --virtual-hosted. r2 (Cloudflare R2) needs --endpoint https://&lt;account-id&gt;.r2.cloudflarestorage.com, b2 (Backblaze B2) --region or --endpoint; r2, b2 and wasabi speak S3 with path style.</source>
        <translation>服务商预设：aws、oss、r2、b2、wasabi 或 custom（默认：custom）。oss 是阿里云 OSS 的原生协议（虚拟主机形式）；OSS 的 S3 兼容 API 请用 --provider custom --endpoint https://oss-&lt;region&gt;.aliyuncs.com --virtual-hosted。r2（Cloudflare R2）需要 --endpoint https://&lt;account-id&gt;.r2.cloudflarestorage.com，b2（Backblaze B2）需要 --region 或 --endpoint；r2、b2 和 wasabi 使用路径形式的 S3 协议。</translation>
    </message>
    <message>
        <source>OSS request signatures: v4 (default) or v1 for older deployments; --provider oss only.</source>
        <translation>OSS 请求签名：v4（默认），较旧的部署可用 v1；仅用于 --provider oss。</translation>
    </message>
    <message>
        <source>Address buckets as endpoint/bucket/key instead of bucket.endpoint/key.</source>
        <translation>以 endpoint/bucket/key 而不是 bucket.endpoint/key 的形式访问存储空间。</translation>
    </message>
    <message>
        <source>Address buckets as bucket.endpoint/key.</source>
        <translation>以 bucket.endpoint/key 的形式访问存储空间。</translation>
    </message>
    <message>
        <source>CA certificates file for https endpoints.</source>
        <translation>https Endpoint 使用的 CA 证书文件。</translation>
    </message>
    <message>
        <source>Multipart part size, e.g. 8M (default 8M, at least 5M, or 100K with --provider oss; grown for files over 10,000 parts).</source>
        <translation>分片上传的分片大小，如 8M（默认 8M，至少 5M；--provider oss 时至少 100K；文件超过 10,000 个分片时自动增大）。</translation>
    </message>
    <message>
        <source>Requests in flight at once: parts of large files and whole small files alike (default 8; for the engine, per episode, within --max-parts).</source>
        <translation>同时进行的请求数：大文件的分片和整个小文件一样计算（默认 8；对引擎而言是每个采集片段的数量，受 --max-parts 限制）。</translation>
    </message>
    <message>
        <source>Files smaller than this go in one PutObject (default 16M).</source>
        <translation>小于此大小的文件用一次 PutObject 上传（默认 16M）。</translation>
    </message>
    <message>
        <source>Upload at most this many bytes per second, e.g. 20M (default: unlimited).</source>
        <translation>每秒最多上传这么多字节，如 20M（默认：不限）。</translation>
    </message>
    <message>
        <source>Attempts per request before giving up (default 5).</source>
        <translation>每个请求放弃前的尝试次数（默认 5）。</translation>
    </message>
    <message>
        <source>Credentials in AWS shared-credentials format, mode 0600 (used when neither the keychain nor the environment has them).</source>
        <translation>AWS 共享凭证格式的凭证文件，权限 0600（密钥环和环境变量中都没有凭证时使用）。</translation>
    </message>
    <message>
        <source>--concurrency must be between %1 and %2</source>
        <translation>--concurrency 必须在 %1 到 %2 之间</translation>
    </message>
</context>
<context>
    <name>StoragePage</name>
    <message>
        <source>Storage</source>
        <translation>存储</translation>
    </message>
    <message>
        <source>AWS S3</source>
        <translation>AWS S3</translation>
    </message>
    <message>
        <source>Alibaba Cloud OSS (native)</source>
        <translation>阿里云 OSS（原生协议）</translation>
    </message>
    <message>
        <source>Cloudflare R2</source>
        <translation>Cloudflare R2</translation>
    </message>
    <message>
        <source>Backblaze B2 (S3 API)</source>
        <translation>Backblaze B2（S3 API）</translation>
    </message>
    <message>
        <source>Wasabi</source>
        <translation>Wasabi</translation>
    </message>
    <message>
        <source>MinIO / custom S3-compatible</source>
        <translation>MinIO / 自定义 S3 兼容存储</translation>
    </message>
    <message>
        <source>&amp;Path style (host/bucket/key)</source>
        <translation>路径形式（host/bucket/key）(&amp;P)</translation>
    </message>
    <message>
        <source>&amp;Virtual-hosted (bucket.host/key)</source>
        <translation>虚拟主机形式（bucket.host/key）(&amp;V)</translation>
    </message>
    <message>
        <source>V4</source>
        <translation>V4</translation>
    </message>
    <message>
        <source>V1 (legacy)</source>
        <translation>V1（旧版）</translation>
    </message>
    <message>
        <source>Pro&amp;vider:</source>
        <translation>服务商(&amp;V)：</translation>
    </message>
    <message>
        <source>&amp;Endpoint:</source>
        <translation>访问域名（Endpoint）(&amp;E)：</translation>
    </message>
    <message>
        <source>&amp;Region:</source>
        <translation>地域(&amp;R)：</translation>
    </message>
    <message>
        <source>&amp;Bucket:</source>
        <translation>存储空间（Bucket）(&amp;B)：</translation>
    </message>
    <message>
        <source>Key pre&amp;fix:</source>
        <translation>对象前缀(&amp;F)：</translation>
    </message>
    <message>
        <source>Addressing:</source>
        <translation>访问方式：</translation>
    </message>
    <message>
        <source>Si&amp;gnature:</source>
        <translation>签名版本(&amp;G)：</translation>
    </message>
    <message>
        <source>Alibaba Cloud OSS request signatures: V4, or V1 for older deployments.</source>
        <translation>阿里云 OSS 请求签名：V4，较旧的部署可用 V1。</translation>
    </message>
    <message>
        <source>https://host[:port]</source>
        <translation>https://host[:port]</translation>
    </message>
    <message>
        <source>Warning: %1</source>
        <translation>警告：%1</translation>
    </message>
</context>
<context>
    <name>SyncEngine</name>
    <message>
        <source>another Keystone Console (pid %1) is using %2</source>
        <translation>另一个 Keystone Console（pid %1）正在使用 %2</translation>
    </message>
    <message>
        <source>no bucket</source>
        <translation>没有存储空间（Bucket）</translation>
    </message>
    <message>
        <source>no access key id and secret key</source>
        <translation>没有 AccessKey ID 和 AccessKey Secret</translation>
    </message>
    <message>
        <source>the part size is below the provider&apos;s minimum of %1 bytes</source>
        <translation>分片大小低于服务商的最小值 %1 字节</translation>
    </message>
    <message>
        <source>settings not applied: %1</source>
        <translation>设置未生效：%1</translation>
    </message>
    <message>
        <source>the recording limit cannot be negative</source>
        <translation>录制上限不能为负数</translation>
    </message>
    <message>
        <source>the recording&apos;s end is already past</source>
        <translation>录制的结束时间已经过去</translation>
    </message>
</context>
<context>
    <name>SyncJournal</name>
    <message>
        <source>%1: registered, %2 in %3 (%4)</source>
        <translation>%1：已登记，%3，共 %2（%4）</translation>
    </message>
    <message>
        <source>, resuming with %1 verified</source>
        <translation>，续传，已校验 %1</translation>
    </message>
    <message>
        <source>%1: uploading, attempt %2%3</source>
        <translation>%1：上传中，第 %2 次尝试%3</translation>
    </message>
    <message>
        <source>%1: completed, %2 in %3, %4</source>
        <translation>%1：已完成，%2，用时 %3，%4</translation>
    </message>
    <message>
        <source>%1: failed, retry at %2 (%3 kept): %4</source>
        <translation>%1：失败，将于 %2 重试（保留 %3）：%4</translation>
    </message>
    <message>
        <source>%1: failed (%2 kept): %3</source>
        <translation>%1：失败（保留 %2）：%3</translation>
    </message>
    <message>
        <source>%1: waiting for storage until %2 (%3 kept): %4</source>
        <translation>%1：等待存储服务直到 %2（保留 %3）：%4</translation>
    </message>
    <message>
        <source>%1: cancelled</source>
        <translation>%1：已取消</translation>
    </message>
    <message>
        <source>%1: paused, %2 verified</source>
        <translation>%1：已暂停，已校验 %2</translation>
    </message>
    <message>
        <source>%1: waits with the queue for new credentials, %2 verified</source>
        <translation>%1：随队列等待新的访问凭证，已校验 %2</translation>
    </message>
    <message>
        <source>%1: paused for the new settings, %2 verified; it continues with them</source>
        <translation>%1：为应用新设置而暂停，已校验 %2；之后按新设置继续</translation>
    </message>
    <message>
        <source>%1: stopped for shutdown, %2 verified; it resumes at the next start</source>
        <translation>%1：因关闭而停止，已校验 %2；下次启动时继续</translation>
    </message>
    <message>
        <source>%1: %2 %, %3, %4</source>
        <translation>%1：%2 %，%3，%4</translation>
    </message>
    <message>
        <source>%1: rescanned, %2 unchanged, %3 changed or new, %4 gone; now %5</source>
        <translation>%1：已重新扫描，%2 未变化，%3 已变化或新增，%4 已消失；现在为 %5</translation>
    </message>
    <message>
        <source>%1: registration withdrawn: %2</source>
        <translation>%1：已撤销登记：%2</translation>
    </message>
    <message>
        <source>%1: rescan abandoned, the episode stays as it was: %2</source>
        <translation>%1：已放弃重新扫描，采集片段保持原样：%2</translation>
    </message>
    <message>
        <source>%1: the server no longer has the multipart upload %2 of %3 (%4); starting this file over</source>
        <translation>%1：服务器上已没有 %3 的分片上传 %2（%4）；此文件从头开始上传</translation>
    </message>
    <message>
        <source>it gave none</source>
        <translation>未返回</translation>
    </message>
    <message>
        <source>it gave &quot;%1&quot;</source>
        <translation>返回了“%1”</translation>
    </message>
    <message>
        <source>%1: %2 completed, but the server gave no ETag that can be checked against its parts (%3); every part was checked, the whole object was not</source>
        <translation>%1：%2 已完成，但服务器没有返回可与其分片核对的 ETag（%3）；每个分片都已校验，整个对象未校验</translation>
    </message>
    <message>
        <source>storage: answering again after %1</source>
        <translation>存储服务：%1后恢复响应</translation>
    </message>
    <message>
        <source>storage: unreachable since %1: %2. %3</source>
        <translation>存储服务：自 %1 起无法连接：%2。%3</translation>
    </message>
    <message>
        <source>storage: credentials rejected since %1: %2. %3</source>
        <translation>存储服务：自 %1 起凭证被拒绝：%2。%3</translation>
    </message>
    <message>
        <source>%1: paused by the operator, %2 verified and kept; it waits until resumed</source>
        <translation>%1：已被操作员暂停，保留已校验的 %2；等待继续</translation>
    </message>
    <message>
        <source>%1: resumed by the operator, %2 verified kept; it is queued again</source>
        <translation>%1：已被操作员继续，保留已校验的 %2；已重新加入队列</translation>
    </message>
    <message>
        <source>a watched folder is growing</source>
        <translation>监视的文件夹仍在增长</translation>
    </message>
    <message>
        <source>asked, until %1</source>
        <translation>手动开启，至 %1</translation>
    </message>
    <message>
        <source>asked</source>
        <translation>手动开启</translation>
    </message>
    <message>
        <source>recording mode (%1): %2, one part in flight per episode</source>
        <translation>录制模式（%1）：%2，每个采集片段同时一个分片</translation>
    </message>
    <message>
        <source>recording mode: now %1</source>
        <translation>录制模式：现为 %1</translation>
    </message>
    <message>
        <source>upload limit now %1%2</source>
        <translation>上传上限现为 %1%2</translation>
    </message>
    <message>
        <source>uploads hold (verified parts are kept)</source>
        <translation>上传暂停（已校验的分片会保留）</translation>
    </message>
    <message>
        <source>no limit</source>
        <translation>不限速</translation>
    </message>
    <message>
        <source> (schedule slot %1)</source>
        <translation>（时间表时段 %1）</translation>
    </message>
    <message>
        <source>recording mode ended after %1; upload limit: %2%3</source>
        <translation>录制模式在 %1 后结束；上传上限：%2%3</translation>
    </message>
</context>
<context>
    <name>SyncScheduler</name>
    <message>
        <source>the priority must be an integer from %1 to %2</source>
        <translation>优先级必须是 %1 到 %2 之间的整数</translation>
    </message>
</context>
<context>
    <name>TrayStatus</name>
    <message>
        <source>Show Keystone Console</source>
        <translation>显示 Keystone Console</translation>
    </message>
    <message>
        <source>Pause all</source>
        <translation>全部暂停</translation>
    </message>
    <message>
        <source>Resume all</source>
        <translation>全部继续</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message numerus="yes">
        <source>%n uploading</source>
        <translation>
            <numerusform>%n 个上传中</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 % of %2</source>
        <translation>%1 %，共 %2</translation>
    </message>
    <message>
        <source>Idle</source>
        <translation>空闲</translation>
    </message>
    <message numerus="yes">
        <source>%n queued</source>
        <translation>
            <numerusform>%n 个排队中</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n failed</source>
        <translation>
            <numerusform>%n 个失败</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n completed</source>
        <translation>
            <numerusform>%n 个已完成</numerusform>
        </translation>
    </message>
    <message>
        <source>Keystone Console</source>
        <translation>Keystone Console</translation>
    </message>
    <message>
        <source>Paused</source>
        <translation>已暂停</translation>
    </message>
    <message>
        <source>unknown error</source>
        <translation>未知错误</translation>
    </message>
    <message>
        <source>Upload failed: %1</source>
        <translation>上传失败：%1</translation>
    </message>
    <message>
        <source>Uploads finished</source>
        <translation>上传已结束</translation>
    </message>
    <message>
        <source>%1 uploaded, %2 failed.</source>
        <translation>已上传 %1，失败 %2。</translation>
    </message>
    <message>
        <source>%1 uploaded.</source>
        <translation>已上传 %1。</translation>
    </message>
</context>
<context>
    <name>UploadCommand</name>
    <message>
        <source>Upload a file, or every file of a folder, to S3-compatible storage with verified multipart uploads.</source>
        <translation>用经过校验的分片上传，将文件或文件夹中的每个文件上传到 S3 兼容存储。</translation>
    </message>
    <message>
        <source>The command.</source>
        <translation>命令。</translation>
    </message>
    <message>
        <source>A file, or a folder (each file goes to KEY/relative-path).</source>
        <translation>文件或文件夹（每个文件上传到 KEY/相对路径）。</translation>
    </message>
    <message>
        <source>Where to put it.</source>
        <translation>上传目标位置。</translation>
    </message>
    <message>
        <source>Report progress as JSON lines on stdout.</source>
        <translation>在标准输出中以 JSON 行报告进度。</translation>
    </message>
    <message>
        <source>keystone-console upload: %1</source>
        <translation>keystone-console upload：%1</translation>
    </message>
    <message>
        <source>usage: keystone-console upload [options] PATH s3://BUCKET/KEY (see --help)</source>
        <translation>用法：keystone-console upload [options] PATH s3://BUCKET/KEY（参见 --help）</translation>
    </message>
    <message>
        <source>uploaded %1 (%2 parts, ETag %3)</source>
        <translation>已上传 %1（%2 个分片，ETag %3）</translation>
    </message>
    <message>
        <source>done: %1 files, %2</source>
        <translation>完成：%1 个文件，%2</translation>
    </message>
    <message>
        <source>keystone-console upload: failed: %1</source>
        <translation>keystone-console upload：失败：%1</translation>
    </message>
    <message>
        <source>%1 %  %2  %3  ETA %4  parts %5/%6</source>
        <translation>%1 %  %2  %3  剩余 %4  分片 %5/%6</translation>
    </message>
</context>
<context>
    <name>UploadsPage</name>
    <message>
        <source>Uploads</source>
        <translation>上传</translation>
    </message>
    <message>
        <source> MiB</source>
        <translation> MiB</translation>
    </message>
    <message>
        <source> MiB/s</source>
        <translation> MiB/s</translation>
    </message>
    <message>
        <source>Unlimited</source>
        <translation>不限</translation>
    </message>
    <message>
        <source>e.g. 08:00,10M 20:00,off</source>
        <translation>例如 08:00,10M 20:00,off</translation>
    </message>
    <message>
        <source>Upload limits by time of day, as rclone&apos;s timetable; weekdays optional (Mon-08:00,2M Sat-00:00,off). Replaces the bandwidth limit while set.</source>
        <translation>按时段限制上传速率，写法同 rclone 的时间表；星期可选（Mon-08:00,2M Sat-00:00,off）。设置后取代带宽上限。</translation>
    </message>
    <message>
        <source>automatic: a tenth of the uplink</source>
        <translation>自动：上行带宽的十分之一</translation>
    </message>
    <message>
        <source>Upload limit in recording mode, e.g. 5M; 0 holds uploads while recording.</source>
        <translation>录制模式下的上传上限，如 5M；0 表示录制期间暂停上传。</translation>
    </message>
    <message>
        <source>P&amp;art size:</source>
        <translation>分片大小(&amp;A)：</translation>
    </message>
    <message>
        <source>Requests in flight &amp;per episode:</source>
        <translation>每个采集片段的并发请求数(&amp;P)：</translation>
    </message>
    <message>
        <source>Concurrent &amp;episodes:</source>
        <translation>同时上传的采集片段数(&amp;E)：</translation>
    </message>
    <message>
        <source>Band&amp;width limit:</source>
        <translation>带宽上限(&amp;W)：</translation>
    </message>
    <message>
        <source>Band&amp;width schedule:</source>
        <translation>带宽时间表(&amp;W)：</translation>
    </message>
    <message>
        <source>Recording &amp;limit:</source>
        <translation>录制上限(&amp;L)：</translation>
    </message>
</context>
<context>
    <name>WindowTitle</name>
    <message>
        <source>Keystone Console</source>
        <translation>Keystone Console</translation>
    </message>
    <message>
        <source>Keystone Console — %1 @ %2 (%3)</source>
        <translation>Keystone Console — %1 @ %2（%3）</translation>
    </message>
</context>
</TS>
