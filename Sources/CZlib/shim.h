#ifndef CLANBOT_CZLIB_SHIM_H
#define CLANBOT_CZLIB_SHIM_H
#include <zlib.h>

/* inflateInit is a macro that passes the library version and struct size. */
static inline int clanbot_inflateInit(z_streamp strm) { return inflateInit(strm); }
/* deflateInit is a macro too; tests and benchmarks deflate what the inflater reads. */
static inline int clanbot_deflateInit(z_streamp strm, int level) { return deflateInit(strm, level); }
#endif
