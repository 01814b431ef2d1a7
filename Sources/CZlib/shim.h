#ifndef CLANBOT_CZLIB_SHIM_H
#define CLANBOT_CZLIB_SHIM_H
#include <zlib.h>

/* inflateInit is a macro that passes the library version and struct size. */
static inline int clanbot_inflateInit(z_streamp strm) { return inflateInit(strm); }
#endif
