/* Deliberately empty: the worker's meson.build link_whole()s a static library
 * from each subproject; the code itself comes from the Debian package. */
typedef int mediasoup_worker_shim_unused;
