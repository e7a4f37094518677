package dev.berth.cli.runtime;

import java.nio.file.Path;

/**
 * The slurm.conf of a one-node cluster whose every file lives in {@code directory}: its own
 * munge socket, ports chosen at run time, and only plugins that need neither cgroups nor a
 * database (slurmdbd), so that it runs on any Debian host with slurm-wlm 22.05.
 *
 * @param host  the node's short host name, as slurmd finds its own name
 * @param cpus  the CPUs the node offers; {@code SlurmdParameters=config_overrides} makes slurmd
 *              take them as configured instead of draining a node with fewer
 */
record SlurmConf(Path directory, String host, int controllerPort, int nodePort, int cpus) {
    static final String PARTITION = "berth";

    Path file() {
        return directory.resolve("slurm.conf");
    }

    Path mungeSocket() {
        return directory.resolve("munge/munge.socket");
    }

    String text() {
        return String.join("\n",
                "ClusterName=berthtest",
                "SlurmctldHost=" + host + "(127.0.0.1)",
                "SlurmctldPort=" + controllerPort,
                "SlurmdPort=" + nodePort,
                "SlurmUser=root",
                "SlurmdUser=root",
                "AuthType=auth/munge",
                "CredType=cred/munge",
                // in 22.05 both the authentication and the credential plugin read the socket from here
                "AuthInfo=socket=" + mungeSocket(),
                "StateSaveLocation=" + directory.resolve("state"),
                "SlurmdSpoolDir=" + directory.resolve("spool"),
                "SlurmctldPidFile=" + directory.resolve("run/slurmctld.pid"),
                "SlurmdPidFile=" + directory.resolve("run/slurmd.pid"),
                "SlurmctldLogFile=" + directory.resolve("log/slurmctld.log"),
                "SlurmdLogFile=" + directory.resolve("log/slurmd.log"),
                // no cgroups on every test host: processes are tracked by parent, and tasks are not bound to CPUs
                "ProctrackType=proctrack/linuxproc",
                "TaskPlugin=task/none",
                "JobAcctGatherType=jobacct_gather/none",
                "AccountingStorageType=accounting_storage/none",
                "JobCompType=jobcomp/none",
                "SelectType=select/cons_tres",
                "SelectTypeParameters=CR_CPU",
                "SlurmdParameters=config_overrides",
                "MpiDefault=none",
                "ReturnToService=2",
                // the seconds between SIGTERM and SIGKILL when a job is cancelled (30 by default)
                "KillWait=5",
                // finished jobs stay visible to scontrol for the test's asserts
                "MinJobAge=300",
                "NodeName=" + host + " NodeAddr=127.0.0.1 CPUs=" + cpus + " State=UNKNOWN",
                "PartitionName=" + PARTITION + " Nodes=" + host + " Default=YES MaxTime=INFINITE State=UP",
                "");
    }
}
