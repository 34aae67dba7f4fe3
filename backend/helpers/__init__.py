"""Commune helpers: community digital team members, post-office or cooperative staff appointed by a
province officer for some communes, who register households as sellers (with the household's OTP
consent) and then list, answer orders and record cash for them; never the money."""
