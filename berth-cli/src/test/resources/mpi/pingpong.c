/* Ping-pong between ranks 0 and 1: the median one-way time of small messages, and the bandwidth of large ones. */
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>

static int compare(const void *a, const void *b) {
    double x = *(const double *) a, y = *(const double *) b;
    return x < y ? -1 : x > y;
}

/* The median one-way time in seconds of `rounds` round trips of `bytes` bytes. */
static double one_way(char *buffer, int bytes, int rounds, int rank) {
    double *times = malloc(sizeof(double) * rounds);
    for (int round = 0; round < rounds; round++) {
        MPI_Barrier(MPI_COMM_WORLD);
        double start = MPI_Wtime();
        if (rank == 0) {
            MPI_Send(buffer, bytes, MPI_CHAR, 1, 0, MPI_COMM_WORLD);
            MPI_Recv(buffer, bytes, MPI_CHAR, 1, 0, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
        } else if (rank == 1) {
            MPI_Recv(buffer, bytes, MPI_CHAR, 0, 0, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
            MPI_Send(buffer, bytes, MPI_CHAR, 0, 0, MPI_COMM_WORLD);
        }
        times[round] = (MPI_Wtime() - start) / 2;
    }
    qsort(times, rounds, sizeof(double), compare);
    double median = times[rounds / 2];
    free(times);
    return median;
}

int main(int argc, char **argv) {
    int rank;
    int rounds = argc > 1 ? atoi(argv[1]) : 1000;
    int large = 4 << 20;
    MPI_Init(&argc, &argv);
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    char *buffer = calloc(large, 1);
    one_way(buffer, 8, rounds / 10 + 1, rank);
    double latency = one_way(buffer, 8, rounds, rank);
    double transfer = one_way(buffer, large, rounds / 20 + 1, rank);
    if (rank == 0) {
        printf("latency_us %.3f\n", latency * 1e6);
        printf("bandwidth_MBps %.1f\n", large / transfer / 1e6);
    }
    free(buffer);
    MPI_Finalize();
    return 0;
}
