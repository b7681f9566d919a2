// SPDX-License-Identifier: GPL-2.0-only
/* The vw_oui bitmap encoding of include/vendorwall.h, the one definition
 * the data plane, the daemon, tests and tools share: 4 bits per OUI, 16
 * OUIs per 64-bit word, OUI n at bits 4(n mod 16) of word n / 16. */
#include <stdint.h>
#include "unit.h"
#include "vendorwall.h"

static void test_layout(void **state)
{
	assert_int_equal(vw_oui_word(0), 0);
	assert_int_equal(vw_oui_shift(0), 0);
	assert_int_equal(vw_oui_word(15), 0);
	assert_int_equal(vw_oui_shift(15), 60);
	assert_int_equal(vw_oui_word(16), 1);
	assert_int_equal(vw_oui_shift(16), 0);
	assert_int_equal(vw_oui_word(0xffffff), VW_OUI_WORDS - 1);
	assert_int_equal(vw_oui_shift(0xffffff), 60);
	/* 2^24 OUIs, 4 bits each, fill the map exactly. */
	assert_int_equal((uint64_t)VW_OUI_WORDS * 64, (1ull << 24) * 4);
	assert_int_equal(VW_OUI_BITS_MASK, VW_OUI_BIT_RESTRICTED | VW_OUI_BIT_SLOW);
	/* Four distinct bits; "slow" is any of the three kinds. */
	assert_int_equal(VW_OUI_BIT_SLOW, VW_OUI_BIT_DEV | VW_OUI_BIT_P28 | VW_OUI_BIT_P36);
	assert_int_equal(VW_OUI_BIT_RESTRICTED & VW_OUI_BIT_SLOW, 0);
	assert_int_equal(vw_oui_bits_at(17, VW_OUI_BIT_DEV), 0x20ull);
	assert_int_equal(vw_oui_bits_at(15, VW_OUI_BIT_P36), 1ull << 63);
	/* Bits beyond the mask never spill into the neighbour. */
	assert_int_equal(vw_oui_bits_at(0, 0x1f), 0xfull);
}

/* Every OUI round-trips and leaves its 15 neighbours alone. */
static void test_round_trip(void **state)
{
	for (uint32_t oui = 0; oui < (1u << 24); oui += 4093) {
		for (uint32_t bits = 0; bits <= VW_OUI_BITS_MASK; bits++) {
			uint64_t w = 0xa5a5a5a5a5a5a5a5ull;

			w = (w & ~vw_oui_bits_at(oui, VW_OUI_BITS_MASK)) | vw_oui_bits_at(oui, bits);
			assert_int_equal(vw_oui_bits(w, oui), bits);
			for (uint32_t n = oui & ~15u; n < (oui & ~15u) + 16; n++)
				if (n != oui)
					assert_int_equal(vw_oui_bits(w, n),
							 vw_oui_bits(0xa5a5a5a5a5a5a5a5ull, n));
		}
	}
}

static void test_oui_of(void **state)
{
	static const uint8_t m[6] = { 0x00, 0xe0, 0xfc, 0x12, 0x34, 0x56 };
	static const uint8_t f[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

	assert_int_equal(vw_oui_of(m), 0x00e0fc);
	assert_int_equal(vw_oui_of_u64(vw_mac_to_u64(m)), 0x00e0fc);
	assert_int_equal(vw_oui_of(f), 0xffffff);
	assert_int_equal(vw_oui_of_u64(vw_mac_to_u64(f)), 0xffffff);
	/* A prefix-map key carries its length above the MAC: still the OUI. */
	assert_int_equal(vw_oui_of_u64(vw_prefix_key(vw_mac_to_u64(m), 28)), 0x00e0fc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_layout),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_oui_of),
	};

	return cmocka_run_group_tests_name("oui_bitmap", tests, NULL, NULL);
}
