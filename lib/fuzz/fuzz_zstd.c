/*
 * fuzz_zstd: zstd files made by libzstd's own encoder from the fuzz
 * input's text, in one to four units, damaged or not (fuzzcodec.h,
 * fuzz_codec_one: the input's first three bytes say how), read by
 * lib/input and held against the reference decoder: every line of the
 * units whose check passed, the lines of a damaged unit flagged, the
 * last line of a file cut short flagged, then -1; an undamaged file
 * gives its text, line for line, and a clean end.
 */
#include "core/unxz.h"
#include "fuzzcodec.h"

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	evp_xz_memlimit = FUZZ_XZ_MEMLIMIT;
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_codec_one(FUZZ_ZSTD, data, size);
}
