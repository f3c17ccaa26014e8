/* SHA-256 (FIPS 180-4) computed in wasm itself, so the compute contract burns real instructions. */
#ifndef SHA256_H
#define SHA256_H

#include "rt.h"

void sha256_digest(const u8 *data, u32 len, u8 out[32]);

#endif
