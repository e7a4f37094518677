#include <mpi.h>
#include <stdio.h>
int main(int argc, char **argv) {
    int rank, size, len; char name[MPI_MAX_PROCESSOR_NAME];
    MPI_Init(&argc, &argv);
    MPI_Comm_rank(MPI_COMM_WORLD, &rank); MPI_Comm_size(MPI_COMM_WORLD, &size);
    long value = rank + 1, sum = 0;
    MPI_Allreduce(&value, &sum, 1, MPI_LONG, MPI_SUM, MPI_COMM_WORLD);
    printf("rank %d of %d, allreduce sum %ld\n", rank, size, sum);
    MPI_Finalize();
    return 0;
}
