namespace FastBackprop.Kernels.Threading;

/// <summary>
/// One unit of parallel work for a <see cref="ThreadTeam"/>: <see cref="Execute"/> runs once on each
/// participant. Implement it on a class that is created once and reused, so that handing it to
/// <see cref="ThreadTeam.Run"/> allocates nothing; a struct would be boxed on every call.
/// </summary>
internal interface ITeamWork
{
    /// <summary>
    /// Does this participant's share of the work. Participants run concurrently, so each must write only
    /// memory that no other participant reads or writes during the same run (split over output tiles).
    /// </summary>
    /// <param name="worker">This participant's index, in [0, <paramref name="workers"/>); 0 is the thread that called Run.</param>
    /// <param name="workers">How many participants run this work, the calling thread included.</param>
    void Execute(int worker, int workers);
}
