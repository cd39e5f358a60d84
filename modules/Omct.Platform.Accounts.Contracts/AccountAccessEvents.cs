using Omct.Platform.BuildingBlocks.Callers;

namespace Omct.Platform.Accounts.Contracts;

/// <summary>
/// What an account may reach changed: its clearance (or role) was changed by an admin (<c>changeAccountRole</c>) or by
/// its OpenID Connect provider's claims at a sign-in, or the account was disabled (<see cref="Active"/> false: it reaches
/// nothing any more). Published in the account's audit stream (its id is the stream's), in the same transaction as the
/// accounts module's own event, for the modules that keep people on records (the teamwork module takes an owner or a
/// watcher off a record their clearance no longer reaches). <see cref="Previous"/> is the clearance before the change.
/// </summary>
public sealed record AccountClearanceChanged(Guid AccountId, string Name, Role Role, Confidentiality Previous, Confidentiality Clearance, bool Active);
