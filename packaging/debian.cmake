# CPack: the Debian package (cmake --build build --target package, or cpack in the build directory).
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME keystone-console)
set(CPACK_PACKAGE_VENDOR Keystone)
set(CPACK_PACKAGE_CONTACT "Keystone Console maintainers <dev@keystone.local>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
set(CPACK_PACKAGE_DESCRIPTION
    "Keystone Console uploads robot episodes to S3-compatible object storage (Alibaba Cloud OSS, AWS S3, MinIO)
as verified multipart uploads that resume after a crash. It is a desktop console for operators, a headless
service (keystone-console --server, with a systemd unit) with a local HTTP API, and a command line.")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
# Shared libraries (Qt, libcurl, OpenSSL, QtKeychain) are found by dpkg-shlibdeps (dpkg-dev).
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# Plugins are loaded at run time, so shlibdeps cannot see them: the SQLite driver of the catalog and the SVG
# icon engine and image format (the window and tray icon); CA certificates for https endpoints. The xcb and
# offscreen platform plugins come with libqt6gui6, which shlibdeps finds.
set(CPACK_DEBIAN_PACKAGE_DEPENDS "libqt6sql6-sqlite, libqt6svg6, ca-certificates")
# Qt's own translations (standard buttons and dialogs in the user's language, beside ours in
# /usr/share/keystone-console/translations); the program runs without them, in part English.
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "qt6-wayland, qt6-translations-l10n")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "gnome-keyring")
# The example settings in /etc are a conffile (dpkg keeps local edits); postinst/postrm make systemd see
# the units.
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    ${CMAKE_CURRENT_LIST_DIR}/debian/conffiles
    ${CMAKE_CURRENT_LIST_DIR}/debian/postinst
    ${CMAKE_CURRENT_LIST_DIR}/debian/postrm)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)

include(CPack)
