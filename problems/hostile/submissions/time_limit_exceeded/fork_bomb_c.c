/* A fork bomb in C: contained by the process cap, stopped by the CPU limit of the tree. */
#include <unistd.h>

int main(void) {
    for (;;) {
        fork();
    }
}
