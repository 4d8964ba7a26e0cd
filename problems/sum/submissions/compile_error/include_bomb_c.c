/* The preprocessor reads /dev/zero forever: the compile limits must end it (CE). */
#include "/dev/zero"

int main(void) { return 0; }
